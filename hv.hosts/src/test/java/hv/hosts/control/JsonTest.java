package hv.hosts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class JsonTest {

    @Test
    void parsesWhatClientsSend() throws Exception {
        Object v = Json.parse(" {\"execute\": \"snapshot\", \"arguments\": {\"path\": \"/tmp/a \\\"b\\\"\\u00e4\\n\"},"
                + " \"id\": 7, \"x\": [1, -2.5e1, true, false, null, {}, []]} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("snapshot", m.get("execute"));
        assertEquals("/tmp/a \"b\"ä\n", ((Map<?, ?>) m.get("arguments")).get("path"));
        assertEquals(7L, m.get("id"));
        List<?> x = (List<?>) m.get("x");
        assertEquals(-25.0, x.get(1));
        assertEquals(Boolean.TRUE, x.get(2));
        assertNull(x.get(4));
        assertEquals(Map.of(), x.get(5));
    }

    @Test
    void writesOneLineThatParsesBack() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("report", "hv: stats: a\nhv: stats: \"b\"\t\u0001");
        m.put("n", 12L);
        m.put("f", 1.5);
        m.put("l", List.of(true, "x"));
        m.put("z", null);
        String line = Json.write(m);
        assertEquals(-1, line.indexOf('\n'));
        assertEquals(m, Json.parse(line));
    }

    @Test
    void refusesMalformedInput() {
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "\"open", "tru", "{\"a\":1} x",
                "\"\\x\"", "\"\\u12\"", "1.2.3e", "-", "{1:2}", "[".repeat(100) + "]".repeat(100), "\"a\u0001\""}) {
            assertThrows(Json.ParseException.class, () -> Json.parse(bad), bad);
        }
    }
}
