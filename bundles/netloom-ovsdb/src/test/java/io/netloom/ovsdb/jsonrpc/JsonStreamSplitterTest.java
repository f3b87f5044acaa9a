package io.netloom.ovsdb.jsonrpc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.netloom.ovsdb.OvsdbConnectionException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class JsonStreamSplitterTest {

    private final JsonStreamSplitter splitter = new JsonStreamSplitter(1024);

    private List<String> feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return splitter.feed(bytes, 0, bytes.length);
    }

    @Test
    public void severalObjectsInOneReadAreSplitWithoutDelimiters() {
        List<String> texts = feed("{\"id\":1,\"result\":[]}{\"id\":2,\"result\":{\"a\":{}}} \n{\"id\":3}");

        assertEquals(List.of("{\"id\":1,\"result\":[]}", "{\"id\":2,\"result\":{\"a\":{}}}", "{\"id\":3}"), texts);
        assertFalse(splitter.hasPartialText());
    }

    @Test
    public void anObjectSplitAcrossReadsIsReturnedOnceComplete() {
        String message = "{\"method\":\"update2\",\"params\":[\"m\",{\"Bridge\":{}}],\"id\":null}";
        List<String> texts = new ArrayList<>();
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            texts.addAll(splitter.feed(bytes, i, 1));
            if (i < bytes.length - 1) {
                assertTrue(texts.isEmpty());
                assertTrue(splitter.hasPartialText());
            }
        }
        assertEquals(List.of(message), texts);
    }

    @Test
    public void bracesInsideStringsAreNotStructure() {
        String message = "{\"details\":\"unbalanced } and { and ] [ inside\"}";

        assertEquals(List.of(message), feed(message + "{\"x\":\"}}}\"}").subList(0, 1));
    }

    @Test
    public void escapedQuotesAndBackslashesKeepTheStringOpenOrCloseItCorrectly() {
        String escapedQuote = "{\"a\":\"say \\\"}\\\" twice\"}";
        String escapedBackslash = "{\"b\":\"ends with backslash \\\\\"}";

        assertEquals(List.of(escapedQuote, escapedBackslash), feed(escapedQuote + escapedBackslash));
    }

    @Test
    public void multiByteCharactersSplitAcrossReadsAreDecoded() {
        byte[] bytes = "{\"name\":\"br-\u00e9\u20ac\"}".getBytes(StandardCharsets.UTF_8);
        int cut = 12;
        List<String> texts = new ArrayList<>(splitter.feed(bytes, 0, cut));
        texts.addAll(splitter.feed(bytes, cut, bytes.length - cut));

        assertEquals(List.of("{\"name\":\"br-\u00e9\u20ac\"}"), texts);
    }

    @Test
    public void garbageBetweenMessagesIsAProtocolError() {
        assertThrows(OvsdbConnectionException.class, () -> feed("{}x{}"));
    }

    @Test
    public void aMessageOverTheSizeLimitIsAProtocolError() {
        JsonStreamSplitter small = new JsonStreamSplitter(16);
        byte[] bytes = "{\"a\":\"0123456789012345678901234567890\"}".getBytes(StandardCharsets.UTF_8);

        assertThrows(OvsdbConnectionException.class, () -> small.feed(bytes, 0, bytes.length));
    }
}
