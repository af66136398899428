package io.eventfeeds.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.RepositoryFiles;
import io.quarkus.websockets.next.CloseReason;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every close code the gateway sends itself is a constant of {@link CloseCodes}, once, and docs/protocol.md lists it.
 * Codes below 4000 in the docs table that are not constants are sent by Vert.x itself (1000, 1007, 1009).
 */
class CloseCodesTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d{4}) \\|");

    @Test
    void eachCodeIsDefinedOnce() throws IllegalAccessException {
        assertThat(codes()).doesNotHaveDuplicates();
    }

    @Test
    void docsListEveryCodeAndEveryPrivateUseCodeIsAConstant() throws IllegalAccessException {
        String doc = RepositoryFiles.read("docs/protocol.md");
        String table = doc.substring(doc.indexOf("## Close codes"), doc.indexOf("## Resume"));
        List<Integer> documented = new ArrayList<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            documented.add(Integer.parseInt(row.group(1)));
        }

        assertThat(documented).containsAll(codes());
        assertThat(codes()).containsAll(documented.stream().filter(code -> code >= 4000).toList());
    }

    private static List<Integer> codes() throws IllegalAccessException {
        List<Integer> codes = new ArrayList<>();
        for (Field field : CloseCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == CloseReason.class) {
                codes.add(((CloseReason) field.get(null)).getCode());
            }
        }
        return codes;
    }
}
