package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

/**
 * {@link StrictJson} reading bodies: slow, failing and oversized ones.
 */
public class StrictJsonReadingTest {

    /** What Jetty throws from a read when a body comes slower than the minimum data rate. */
    static final class ContainerRefusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        ContainerRefusal(int code) {
            super("Request content data rate < 1024 B/s");
            this.code = code;
        }

        public int getCode() {
            return code;
        }
    }

    private static InputStream failing(RuntimeException runtime, IOException io) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (io != null) {
                    throw io;
                }
                throw runtime;
            }
        };
    }

    private static ApiException refusal(InputStream in) {
        try {
            StrictJson.readLimited(in);
        } catch (ApiException e) {
            return e;
        }
        fail("the body was read");
        return null;
    }

    @Test
    public void aBodyTheContainerRefusesAsTooSlowIsA408NotA500() {
        ApiException e = refusal(failing(new ContainerRefusal(408), null));
        assertEquals(408, e.toResponse().status());
        assertEquals("REQUEST_TIMEOUT", ((ApiError) e.toResponse().body()).code());
    }

    @Test
    public void aBodyThatCannotBeReadIsA400() {
        assertEquals("INVALID_BODY", ((ApiError) refusal(failing(null, new IOException("Early EOF"))).toResponse()
                .body()).code());
        assertEquals(400, refusal(failing(new IllegalStateException("closed"), null)).toResponse().status());
        assertEquals(400, refusal(failing(new ContainerRefusal(500), null)).toResponse().status());
    }

    /** A body that comes one byte per read, each read taking a second on the given clock. */
    private static InputStream oneBytePerSecond(int length, long[] nanos) {
        return new InputStream() {
            private int sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent == length) {
                    return -1;
                }
                nanos[0] += 1_000_000_000L;
                b[off] = ' ';
                sent++;
                return 1;
            }
        };
    }

    @Test
    public void aBodySentAByteASecondIsCutOffOnceTheGraceHasPassed() {
        long[] nanos = {0};
        try {
            StrictJson.readLimited(oneBytePerSecond(100_000, nanos), () -> nanos[0]);
            fail("the slow body was read");
        } catch (ApiException e) {
            assertEquals(408, e.toResponse().status());
            assertEquals("REQUEST_TIMEOUT", ((ApiError) e.toResponse().body()).code());
        }
        assertEquals("cut at the first read after the two seconds of grace", 3_000_000_000L, nanos[0]);
    }

    @Test
    public void aSmallBodyIsReadWholeHoweverLateTheApiReadsIt() {
        // The rate counts from the API's first read: a body that arrived long before is read at once.
        long[] nanos = {0};
        byte[] body = StrictJson.readLimited(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                () -> nanos[0] += 1_000_000L);
        assertEquals(2, body.length);
        // Two bytes in two seconds are within the grace.
        assertEquals(2, StrictJson.readLimited(oneBytePerSecond(2, nanos), () -> nanos[0]).length);
    }

    @Test
    public void aBodyOverTheLimitIsA413AndOneWithinItIsRead() {
        ApiException large = refusal(new ByteArrayInputStream(new byte[StrictJson.MAX_BYTES + 1]));
        assertEquals(413, large.toResponse().status());
        assertEquals("{}", new String(StrictJson.readLimited(new ByteArrayInputStream("{}".getBytes(
                StandardCharsets.UTF_8))), StandardCharsets.UTF_8));
    }
}
