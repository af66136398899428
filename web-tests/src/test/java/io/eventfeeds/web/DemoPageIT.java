package io.eventfeeds.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.eventfeeds.testsupport.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The demo page in a real browser against the real platform, as a person uses it: log in through Keycloak's own
 * login form, watch the demo game, chat between two people, and live through a gateway restart. Screenshots go to
 * target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoPageIT {

    private static final String CHAT = "chat:lobby";
    private static final LocatorAssertions.HasTextOptions SOON = new LocatorAssertions.HasTextOptions().setTimeout(20_000);
    private static final LocatorAssertions.HasCountOptions COUNT_SOON =
            new LocatorAssertions.HasCountOptions().setTimeout(20_000);

    private static RunningPlatform platform;
    private static Browser browser;

    @BeforeAll
    static void startPlatformAndBrowser() {
        platform = new RunningPlatform();
        platform.start();
        browser = new Browser();
    }

    @AfterEach
    void closePages() {
        browser.closePages();
    }

    @AfterAll
    static void stopAll() {
        if (browser != null) {
            browser.close();
        }
        if (platform != null) {
            platform.stop();
        }
    }

    @Test
    @Order(1)
    void aliceLogsInThroughKeycloakAndSeesTheScoreAndPricesMove() {
        Page page = browser.newPage(1280, 900);
        page.navigate(platform.gatewayUrl() + "/");
        browser.screenshot(page, "01-before-login");
        logIn(page, "alice");

        Locator score = page.locator("#scoreboard .score");
        assertThat(page.locator("#score-home-points")).hasText(Pattern.compile("^\\d+$"), SOON);
        String first = score.innerText();
        // The demo feed moves the game clock every second: the scoreboard must change without a reload.
        assertThat(score).not().hasText(first, SOON);
        assertThat(page.locator("#stock-rows tr")).hasCount(3, COUNT_SOON);
        assertThat(page.locator("#stock-rows tr").first().locator("td").first())
                .hasText(Pattern.compile("^\\d+\\.\\d{2}$"), SOON);
        browser.screenshot(page, "02-alice-scores-and-stocks");
    }

    @Test
    @Order(2)
    void aChatMessageTypedByAliceAppearsForBobWithHerName() {
        Page alice = browser.newPage(1280, 900);
        Page bob = browser.newPage(390, 844);
        alice.navigate(platform.gatewayUrl() + "/");
        logIn(alice, "alice");
        bob.navigate(platform.gatewayUrl() + "/");
        logIn(bob, "bob");

        String text = "hello bob " + UUID.randomUUID();
        alice.locator("#chat-input").fill(text);
        alice.locator("#chat-send").click();

        Locator atBob = bob.locator("#chat-log li", new Page.LocatorOptions().setHasText(text));
        assertThat(atBob).hasCount(1, COUNT_SOON);
        // The sender's name comes from alice's token, set by the gateway.
        assertThat(atBob.locator(".sender")).hasText("alice");
        assertThat(alice.locator("#chat-input")).hasValue("");

        String reply = "hi alice " + UUID.randomUUID();
        bob.locator("#chat-input").fill(reply);
        bob.locator("#chat-input").press("Enter");
        Locator atAlice = alice.locator("#chat-log li", new Page.LocatorOptions().setHasText(reply));
        assertThat(atAlice).hasCount(1, COUNT_SOON);
        assertThat(atAlice.locator(".sender")).hasText("bob");
        browser.screenshot(alice, "03-chat-alice");
        browser.screenshot(bob, "04-chat-bob-phone");
    }

    @Test
    @Order(3)
    void carolWithoutTheChatRoleIsToldTheRoomIsNotForHerButReadsDavesAnnouncement() {
        Page carol = browser.newPage(390, 844);
        carol.navigate(platform.gatewayUrl() + "/");
        logIn(carol, "carol");
        assertThat(carol.locator("#chat-readonly")).isVisible();
        assertThat(carol.locator("#chat-readonly")).containsText("chat");
        assertThat(carol.locator("#chat-form")).isHidden();
        assertThat(carol.locator("#score-home-points")).hasText(Pattern.compile("^\\d+$"), SOON);
        browser.screenshot(carol, "05-carol-read-only-phone");

        // dave is a publisher: the page posts his announcement through feed-service's REST API (CORS from the
        // gateway's origin), and everyone, carol too, gets it over the WebSocket.
        Page dave = browser.newPage(1280, 900);
        dave.navigate(platform.gatewayUrl() + "/");
        logIn(dave, "dave");
        assertThat(carol.locator("#announce-form")).isHidden();
        String text = "free throws for everyone " + UUID.randomUUID();
        dave.locator("#announce-input").fill(text);
        dave.locator("#announce-send").click();
        Locator atCarol = carol.locator("#announcement-log li", new Page.LocatorOptions().setHasText(text));
        assertThat(atCarol).hasCount(1, COUNT_SOON);
        assertThat(atCarol.locator(".sender")).hasText("dave");
        assertThat(dave.locator("#announce-error")).isHidden();
        browser.screenshot(carol, "05-carol-announcement-phone");
    }

    @Test
    @Order(4)
    void thePageOutlivesItsAccessTokenByRefreshingItInBand() {
        Page alice = browser.newPage(1280, 900);
        alice.navigate(platform.gatewayUrl() + "/");
        logIn(alice, "alice");
        Object firstExpiry = alice.evaluate("() => window.eventfeeds.tokenExpiresAt");
        assertThat(((Number) firstExpiry).longValue()).isPositive();

        // Past the expiry of the token the connection was opened with (ACCESS_TOKEN_SECONDS after login).
        alice.waitForFunction("exp => Date.now() / 1000 > exp + 5", firstExpiry,
                new Page.WaitForFunctionOptions().setTimeout(RunningPlatform.ACCESS_TOKEN_SECONDS * 3_000));

        assertThat(((Number) alice.evaluate("() => window.eventfeeds.tokenRefreshes")).intValue()).isPositive();
        // Still the first connection: an expired token would have closed it (4401) and the page would show resumed.
        assertThat(alice.locator("#status")).hasAttribute("data-state", "connected");
        String text = "still here " + UUID.randomUUID();
        alice.locator("#chat-input").fill(text);
        alice.locator("#chat-send").click();
        assertThat(alice.locator("#chat-log li", new Page.LocatorOptions().setHasText(text))).hasCount(1, COUNT_SOON);
        assertThat(alice.locator("#chat-error")).isHidden();
        browser.screenshot(alice, "06-alice-after-token-refresh");
    }

    @Test
    @Order(5)
    void afterAGatewayRestartThePageShowsTheMessageSentMeanwhileExactlyOnce() throws Exception {
        Page alice = browser.newPage(1280, 900);
        Page bob = browser.newPage(1280, 900);
        alice.navigate(platform.gatewayUrl() + "/");
        logIn(alice, "alice");
        bob.navigate(platform.gatewayUrl() + "/");
        logIn(bob, "bob");
        String before = "before the restart " + UUID.randomUUID();
        bob.locator("#chat-input").fill(before);
        bob.locator("#chat-send").click();
        assertThat(alice.locator("#chat-log li", new Page.LocatorOptions().setHasText(before))).hasCount(1, COUNT_SOON);

        platform.stopGateway();
        assertThat(alice.locator("#status")).hasAttribute("data-state", Pattern.compile("reconnecting|connecting"),
                new LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
        browser.screenshot(alice, "07-alice-gateway-down");
        // While no gateway runs, dave (publisher and chat) posts into the room through feed-service.
        String meanwhile = "while the gateway was down " + UUID.randomUUID();
        postChat("dave", meanwhile);

        platform.startGateway();
        assertThat(alice.locator("#status")).hasAttribute("data-state", "resumed",
                new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        Locator missed = alice.locator("#chat-log li", new Page.LocatorOptions().setHasText(meanwhile));
        assertThat(missed).hasCount(1, COUNT_SOON);
        assertThat(missed.locator(".sender")).hasText("dave");

        // A live message after the resume arrives after everything replayed, so by now a duplicate would show.
        assertThat(bob.locator("#status")).hasAttribute("data-state", "resumed",
                new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        String after = "after the restart " + UUID.randomUUID();
        bob.locator("#chat-input").fill(after);
        bob.locator("#chat-send").click();
        assertThat(alice.locator("#chat-log li", new Page.LocatorOptions().setHasText(after))).hasCount(1, COUNT_SOON);
        assertThat(missed).hasCount(1);
        assertThat(alice.locator("#chat-log li", new Page.LocatorOptions().setHasText(before))).hasCount(1);
        assertThat(alice.locator("#status")).containsText("missed");
        assertThat(Integer.parseInt(alice.locator("#status").getAttribute("data-missed"))).isPositive();
        browser.screenshot(alice, "08-alice-resumed");
    }

    /** Keycloak's own login form, reached through the page's Log in button. */
    private static void logIn(Page page, String user) {
        page.locator("#login").click();
        page.locator("#username").fill(user);
        page.locator("#password").fill(user + "-demo");
        page.locator("#kc-login").click();
        assertThat(page.locator("#who")).hasText("Signed in as " + user, SOON);
        assertThat(page.locator("#status")).hasAttribute("data-state", "connected",
                new LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
    }

    private static void postChat(String user, String text) throws IOException, InterruptedException {
        String body = "{\"type\":\"chat\",\"data\":{\"text\":\"" + text + "\"}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.feedUrl() + "/api/v1/channels/" + CHAT
                        + "/events"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + Tokens.accessToken(user))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
    }
}
