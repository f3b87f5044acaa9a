package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class StrictJsonTest {

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

    @Test
    public void aBodyOverTheLimitIsA413AndOneWithinItIsRead() {
        ApiException large = refusal(new ByteArrayInputStream(new byte[StrictJson.MAX_BYTES + 1]));
        assertEquals(413, large.toResponse().status());
        assertEquals("{}", new String(StrictJson.readLimited(new ByteArrayInputStream("{}".getBytes(
                StandardCharsets.UTF_8))), StandardCharsets.UTF_8));
    }
}
