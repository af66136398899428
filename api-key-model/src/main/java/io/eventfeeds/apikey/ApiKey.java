package io.eventfeeds.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API key: the credentials of a confidential Keycloak client made for one caller, in one opaque string
 * {@code efk_<base64url(clientId:secret)>}. Keycloak stays the only place where keys live; the services only exchange
 * them for tokens (docs/security.md says why).
 */
public record ApiKey(String clientId, String secret) {

    public static final String PREFIX = "efk_";
    /** Every API-key client's id starts with this, so a key can never stand for another kind of client. */
    public static final String CLIENT_PREFIX = "apikey-";
    private static final int MAX_LENGTH = 512;
    /** A key's name, what the operator chooses: the client id is the prefix and the name. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern CLIENT_ID = Pattern.compile(Pattern.quote(CLIENT_PREFIX) + NAME.pattern());

    /** Whether {@code name} may name a key: lowercase letters, digits and '-', at most 63, not starting with '-'. */
    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The id of the Keycloak client of the key named {@code name}. */
    public static String clientIdOf(String name) {
        if (!isName(name)) {
            throw new IllegalArgumentException("not an API key name: '" + name + "'");
        }
        return CLIENT_PREFIX + name;
    }

    public static Optional<ApiKey> parse(String value) {
        if (value == null || value.length() > MAX_LENGTH || !value.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(value.substring(PREFIX.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || colon == decoded.length() - 1) {
            return Optional.empty();
        }
        String clientId = decoded.substring(0, colon);
        if (!CLIENT_ID.matcher(clientId).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(clientId, decoded.substring(colon + 1)));
    }

    public String encoded() {
        return PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * SHA-256 of the whole key: what caches are keyed by, so that a lookup compares digests and never the secret
     * itself, and a heap dump of the cache holds no usable key.
     */
    public String digest() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(encoded().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Never prints the secret: keys must not reach logs. */
    @Override
    public String toString() {
        return "ApiKey[" + clientId + "]";
    }
}
