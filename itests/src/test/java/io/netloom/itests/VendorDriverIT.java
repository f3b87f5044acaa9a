package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.Test;
import org.ops4j.pax.exam.Option;

import com.google.gson.JsonElement;

/**
 * The example vendor driver, built separately against the published api, installed the way a user would: dropped
 * into {@code deploy/}. It appears in {@code /drivers} and realises a network of its type.
 */
public class VendorDriverIT extends NetloomTestSupport {

    private static final String JAR = "netloom.vendor.jar";

    @Override
    protected Option[] extraOptions() {
        return new Option[] {systemProperty(JAR).value(System.getProperty(JAR))};
    }

    private boolean vendorListed() {
        try {
            for (JsonElement d : asAdmin("GET", "/drivers", null).json().getAsJsonArray()) {
                if (d.getAsJsonObject().get("type").getAsString().equals("vendorx")
                        && d.getAsJsonObject().get("status").getAsString().equals("ACTIVE")) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    public void droppedIntoDeployTheVendorDriverIsListedAndUsed() throws Exception {
        waitForRest();
        String net = id(expect(201, "POST", "/networks", "{\"name\":\"vendor-net\",\"cidrs\":[\"10.244.0.0/16\"],"
                + "\"driver\":\"vendorx\",\"pendingDriver\":true}"));
        assertEquals("DRIVER_MISSING", expect(200, "GET", "/networks/" + net, null).getAsJsonObject()
                .get("status").getAsString());

        Path jar = Path.of(System.getProperty(JAR));
        assertTrue("vendor driver jar built: " + jar, Files.exists(jar));
        Files.copy(jar, karafHome().resolve("deploy/netloom-vendor-driver.jar"), StandardCopyOption.REPLACE_EXISTING);
        waitFor("vendorx driver in /drivers", this::vendorListed);
        assertTrue(executeCommand("vnet:driver-list", "netloom-admin").contains("io.netloom.examples.vendor"));

        expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"s\",\"cidr\":\"10.244.1.0/24\"}");
        String port = id(expect(201, "POST", "/ports?wait=20s", "{\"name\":\"vp\",\"network\":\"" + net + "\"}"));
        assertEquals("ACTIVE", expect(200, "GET", "/ports/" + port, null).getAsJsonObject().get("status")
                .getAsString());
        assertEquals("ACTIVE", expect(200, "GET", "/networks/" + net, null).getAsJsonObject().get("status")
                .getAsString());
    }
}
