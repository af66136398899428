package io.eventfeeds.security.problem;

/**
 * A kind of refusal: the slug that names it on the wire, its title and its HTTP status. Every type, whichever
 * module gives it, is listed in docs/events.md.
 */
public interface ProblemType {

    /** Problem types are URIs under this base; clients and docs compare the whole URI. */
    String BASE = "https://eventfeeds.io/problems/";

    String slug();

    String title();

    int status();

    default String uri() {
        return BASE + slug();
    }

    /** A type given by its three facts, for a module that keeps its few types as constants rather than an enum. */
    static ProblemType of(String slug, String title, int status) {
        return new Named(slug, title, status);
    }

    record Named(String slug, String title, int status) implements ProblemType {
    }
}
