package io.eventfeeds.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The classic attacks on JWT validation, made from a real token of the shared Keycloak, for tests that show the
 * services refuse each of them.
 */
public final class ForgedTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ForgedTokens() {
    }

    /** The real token's claims with {@code alg: none} and no signature. */
    public static String unsigned(String realToken) {
        return B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + realToken.split("\\.")[1] + ".";
    }

    /** The real token's claims re-signed with HS256, using the realm's public RSA certificate as the HMAC secret. */
    public static String hmacWithPublicKey(String realToken) {
        try {
            String kid = JSON.readTree(Base64.getUrlDecoder().decode(realToken.split("\\.")[0])).path("kid").asText();
            byte[] publicKey = publicKeyOf(kid);
            String header = B64.encodeToString(("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            String signingInput = header + "." + realToken.split("\\.")[1];
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
            return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The real token with one claim changed and the original signature kept. */
    public static String tamperedClaim(String realToken, String claim, String value) {
        try {
            String[] parts = realToken.split("\\.");
            ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            payload.put(claim, value);
            return parts[0] + "." + B64.encodeToString(JSON.writeValueAsBytes(payload)) + "." + parts[2];
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] publicKeyOf(String kid) throws Exception {
        HttpResponse<String> jwks = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                SharedServers.keycloak().realmUrl() + "/protocol/openid-connect/certs")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode key : JSON.readTree(jwks.body()).path("keys")) {
            if (kid.equals(key.path("kid").asText())) {
                byte[] der = Base64.getDecoder().decode(key.path("x5c").get(0).asText());
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)).getPublicKey().getEncoded();
            }
        }
        throw new IllegalStateException("no key " + kid + " in the realm's JWKS");
    }
}
