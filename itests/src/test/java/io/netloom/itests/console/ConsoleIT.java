package io.netloom.itests.console;

import static io.netloom.itests.console.ConsoleBrowser.choose;
import static io.netloom.itests.console.ConsoleBrowser.submit;
import static io.netloom.itests.console.ConsoleBrowser.type;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.netloom.itests.process.NetloomProcess;

/**
 * The web console driven in headless Chromium against the real distribution, started as a process: log in, create,
 * peer, look at the topology, add rules, explain, delete; and a ports page of a thousand rows. (The Felix Web
 * Console tab is unit-tested in netloom-console: the Web Console's bundles are not available offline here.)
 *
 * <p>Artefacts in {@code target/}: {@code console-topology.png} (the topology page with an active peering), a
 * picture of each other page on the way ({@code console-*.png}), {@code console-ports-1000.png} and
 * {@code console-narrow.png}. The render figure of the thousand-port page is printed as
 * {@code CONSOLE_PORTS_1000_RENDER_MS=}, not asserted: timings on shared machines vary too much.
 */
public class ConsoleIT {

    /** A second administrator: the harness keeps admin's password to itself. */
    private static final String OPERATOR = "operator";
    private static final String ACTIVE_COLOUR = "#2e7d32";
    private static final Map<String, String> STATUS_COLOURS = Map.of("ACTIVE", ACTIVE_COLOUR, "PENDING", "#f0a000",
            "ERROR", "#c62828", "DRIVER_MISSING", "#c62828");
    private static final int BULK_PORTS = 1000;

    private Path target;
    private NetloomProcess netloom;
    private ConsoleBrowser browser;
    private String password;

    @Before
    public void unpackNetloom() throws Exception {
        target = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("target");
        netloom = new NetloomProcess();
        password = addOperator(netloom.home());
    }

    private void startNetloomAndBrowser() throws Exception {
        netloom.start();
        browser = new ConsoleBrowser("http://127.0.0.1:" + netloom.httpPort() + "/netloom/console/",
                target.resolve("console-it"));
    }

    @After
    public void stopBrowserAndNetloom() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (netloom != null) {
                netloom.close();
            }
        }
    }

    @Test
    public void operatorAdministersNetloomThroughTheConsole() throws Exception {
        startNetloomAndBrowser();
        // The bare context path redirects to the app, which asks for credentials on its own page.
        browser.driver().get("http://127.0.0.1:" + netloom.httpPort() + "/netloom/console");
        browser.waitFor(By.id("login-form"));
        String url = browser.driver().getCurrentUrl();
        assertTrue(url, url.endsWith("/netloom/console/#/login"));

        wrongPasswordIsRefusedOnTheLoginPageWithoutADialog();

        browser.logIn(OPERATOR, password);
        browser.waitPage("overview");
        assertEquals(OPERATOR, browser.driver().findElement(By.id("user")).getText());

        createNetworksShowingTheApiErrorNextToTheCidrField();
        addSecurityGroupWithRules();
        createSubnetAndPort("web-a", "s-a", "10.61.1.0/24", "vm-a", "web");
        createSubnetAndPort("web-b", "s-b", "10.62.1.0/24", "vm-b", null);
        requestAndAcceptPeering();
        topologyShowsTheActivePeeringAndFollowsChanges();
        explainShowsVerdictAndHops();
        growAnAddressSpaceAndSyncThePeering();
        browser.navigate("overview");
        assertEquals("2", browser.waitFor(By.cssSelector("#count-networks .count")).getText());
        shot("overview");
        browser.navigate("drivers");
        WebElement sim = browser.waitFor(By.cssSelector("#drivers-table tr[data-type='sim']"));
        assertTrue(sim.getText(), sim.getText().contains("io.netloom.driver.sim"));
        nodesPageShowsTheLocalNodeAndDrainsIt();
        deleteEverythingCreated();

        JsonArray audit = netloom.rest("GET", "/audit?limit=500", null).json().getAsJsonArray();
        long byConsole = 0;
        for (JsonElement e : audit) {
            JsonObject entry = e.getAsJsonObject();
            if (OPERATOR.equals(entry.get("user").getAsString())) {
                assertEquals(entry.toString(), "console", entry.get("via").getAsString());
                byConsole++;
            }
        }
        assertTrue("the console's changes are audited as via=console", byConsole >= 10);

        browser.driver().findElement(By.id("logout")).click();
        assertEquals("You have logged out.", browser.waitFor(By.id("login-notice")).getText());
        assertNull(browser.script("return sessionStorage.getItem('netloom.authorization')"));
        browser.open("#/networks");
        browser.waitFor(By.id("login-form"));
    }

    @Test
    public void thousandPortsRenderAndANarrowWindowKeepsTheNavigation() throws Exception {
        startNetloomAndBrowser();
        assertEquals(201, netloom.rest("POST", "/networks", "{\"name\":\"bulk\",\"cidrs\":[\"10.70.0.0/16\"]}")
                .status());
        assertEquals(201, netloom.rest("POST", "/networks/bulk/subnets",
                "{\"name\":\"bulk\",\"cidr\":\"10.70.0.0/20\"}").status());
        long started = System.nanoTime();
        for (int i = 0; i < BULK_PORTS; i++) {
            NetloomProcess.Reply reply = netloom.rest("POST", "/ports",
                    "{\"name\":\"p" + i + "\",\"network\":\"bulk\"}");
            assertEquals(reply.body(), 201, reply.status());
        }
        System.out.println("CONSOLE_BULK_PORTS_CREATED=" + BULK_PORTS + " in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");

        // A deep link survives the login page.
        browser.open("#/ports");
        browser.logIn(OPERATOR, password);
        WebElement page = browser.waitPage("ports");
        long rows = (Long) browser.script(
                "return document.querySelectorAll('#ports-table .grid-body [role=row]').length");
        assertEquals(BULK_PORTS, rows);
        assertEquals(String.valueOf(BULK_PORTS), page.getAttribute("data-rows"));
        String renderMs = page.getAttribute("data-render-ms");
        String loadMs = page.getAttribute("data-load-ms");
        System.out.println("CONSOLE_PORTS_1000_RENDER_MS=" + renderMs + " (one innerHTML build and layout, "
                + "performance.now() in the browser); CONSOLE_PORTS_1000_LOAD_MS=" + loadMs
                + " (three API reads and the render)");
        browser.screenshot(target.resolve("console-ports-1000.png"));

        browser.navigate("overview");
        assertEquals(String.valueOf(BULK_PORTS),
                browser.waitFor(By.cssSelector("#count-ports .count")).getText());
        browser.navigate("topology");
        browser.waitPresent(By.cssSelector("#topology-svg circle.port[data-name='p999']"));
        assertEquals((long) BULK_PORTS, browser.script("return document.querySelectorAll('#topology-svg circle.port')"
                + ".length"));

        browser.resize(480, 800);
        browser.open("#/overview");
        browser.driver().navigate().refresh();
        browser.waitPage("overview");
        WebElement toggle = browser.driver().findElement(By.id("nav-toggle"));
        WebElement portsLink = browser.driver().findElement(By.cssSelector("nav a[data-route='ports']"));
        assertTrue("the menu button shows in a narrow window", toggle.isDisplayed());
        assertFalse("the navigation is collapsed", portsLink.isDisplayed());
        toggle.click();
        browser.waitFor(By.cssSelector("nav a[data-route='ports']"));
        assertEquals("true", toggle.getAttribute("aria-expanded"));
        browser.follow(portsLink, "ports");
        assertFalse("the navigation closes after choosing a page", portsLink.isDisplayed());
        assertTrue("the page itself does not scroll sideways", (Boolean) browser.script(
                "return document.documentElement.scrollWidth <= window.innerWidth"));
        assertTrue("the wide table scrolls inside its frame", (Boolean) browser.script(
                "const w = document.querySelector('#ports-table'); return w.scrollWidth > w.clientWidth"));
        browser.screenshot(target.resolve("console-narrow.png"));
    }

    // ---- steps of the administration scenario ----

    private void wrongPasswordIsRefusedOnTheLoginPageWithoutADialog() throws IOException {
        browser.logIn(OPERATOR, "not-" + password);
        WebElement error = browser.waitFor(By.cssSelector("#login-form .form-error"));
        assertEquals("Wrong user name or password", error.getText());
        try {
            browser.driver().switchTo().alert();
            fail("a browser dialog opened");
        } catch (NoAlertPresentException expected) {
            // the console's own page told the user, and nothing else did
        }
        assertNull(browser.script("return sessionStorage.getItem('netloom.authorization')"));
        shot("login-error");
        // The header the console sends is what keeps the browser from asking with its own dialog.
        @SuppressWarnings("unchecked")
        List<Object> answer = (List<Object>) ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/netloom/api/v1/drivers', {headers: {Authorization: 'Basic ' + btoa('operator:x'),"
                        + " 'X-Requested-With': 'XMLHttpRequest'}})"
                        + ".then(r => done([r.status, r.headers.get('WWW-Authenticate')]));");
        assertEquals(401L, answer.get(0));
        assertNull(answer.get(1));
    }

    private void createNetworksShowingTheApiErrorNextToTheCidrField() throws Exception {
        WebElement form = browser.navigate("networks").findElement(By.id("network-form"));
        type(form, "name", "web-a");
        type(form, "cidrs", "10.61.0.0/33");
        submit(form);
        WebElement error = browser.waitFor(By.cssSelector("#network-form .field-error[data-field='cidrs']"));
        JsonObject api = netloom.rest("POST", "/networks", "{\"name\":\"web-a\",\"cidrs\":[\"10.61.0.0/33\"]}")
                .json().getAsJsonObject();
        assertEquals("cidrs[0]", api.get("field").getAsString());
        assertEquals(api.get("message").getAsString(), error.getText());
        assertEquals("cidrs[0]", error.getAttribute("data-api-field"));
        WebElement cidrs = form.findElement(By.name("cidrs"));
        assertEquals("true", cidrs.getAttribute("aria-invalid"));
        WebElement cidrField = cidrs.findElement(By.xpath("./ancestor::label[contains(@class, 'field')]"));
        assertEquals("the message sits with the CIDR input", 1,
                cidrField.findElements(By.cssSelector(".field-error")).size());
        assertFalse(form.findElement(By.cssSelector(".form-error")).isDisplayed());
        shot("network-error");

        type(form, "cidrs", "10.61.0.0/16");
        submit(form);
        browser.waitFor(By.cssSelector("#networks-table tr[data-name='web-a']"));
        assertTrue(form.findElements(By.cssSelector(".field-error")).isEmpty());
        type(form, "name", "web-b");
        type(form, "cidrs", "10.62.0.0/16");
        submit(form);
        browser.waitFor(By.cssSelector("#networks-table tr[data-name='web-b']"));
    }

    private void addSecurityGroupWithRules() throws IOException {
        WebElement page = browser.navigate("security-groups");
        WebElement form = page.findElement(By.id("group-form"));
        type(form, "name", "web");
        type(form, "description", "HTTP from the private range");
        submit(form);
        WebElement link = browser.waitFor(By.cssSelector("#groups-table tr[data-name='web'] a"));
        browser.follow(link, "security-groups");
        WebElement rules = browser.waitFor(By.id("rule-form"));

        // A rule the API refuses: its message appears under the ports field.
        choose(rules, "protocol", "tcp");
        type(rules, "ports", "80-");
        type(rules, "remoteCidr", "10.0.0.0/8");
        submit(rules);
        assertTrue(browser.waitFor(By.cssSelector("#rule-form .field-error[data-field='ports']")).getText()
                .contains("range"));

        type(rules, "ports", "80");
        submit(rules);
        browser.waitFor(By.cssSelector("#rules-table tbody tr"));
        choose(rules, "protocol", "tcp");
        type(rules, "ports", "80");
        type(rules, "remoteCidr", "10.61.0.0/16");
        submit(rules);
        // The second rule can never decide anything: lint says so.
        browser.waitFor(By.cssSelector("#lint-table tr[data-kind='SHADOWED']"));
        assertEquals(2, browser.driver().findElements(By.cssSelector("#rules-table tbody tr")).size());
        shot("security-group");
    }

    private void createSubnetAndPort(String network, String subnet, String cidr, String port, String group) {
        browser.navigate("networks");
        WebElement link = browser.waitFor(By.cssSelector("#networks-table tr[data-name='" + network + "'] a"));
        browser.follow(link, "networks");
        WebElement subnets = browser.waitFor(By.id("subnet-form"));
        type(subnets, "name", subnet);
        type(subnets, "cidr", cidr);
        submit(subnets);
        browser.waitFor(By.cssSelector("#subnets-table tr[data-name='" + subnet + "']"));
        WebElement ports = browser.waitFor(By.id("port-form"));
        type(ports, "name", port);
        if (group != null) {
            new Select(ports.findElement(By.name("securityGroups"))).selectByVisibleText(group);
        }
        submit(ports);
        WebElement row = browser.waitFor(By.cssSelector("#network-ports-table [data-name='" + port + "']"));
        // Whatever the data plane has done with it so far, the port shows a realisation status.
        String status = row.getAttribute("data-status");
        assertTrue(status, List.of("PENDING", "ACTIVE", "ERROR", "DRIVER_MISSING").contains(status));
        assertEquals(status, row.findElement(By.cssSelector(".badge")).getText());
    }

    private void requestAndAcceptPeering() throws IOException {
        WebElement form = browser.navigate("peerings").findElement(By.id("peering-form"));
        type(form, "name", "a-b");
        choose(form, "network", "web-a");
        type(form, "peerNetwork", "web-b");
        submit(form);
        WebElement row = browser.waitFor(
                By.cssSelector("#peerings-table tr[data-name='a-b'][data-state='PENDING_ACCEPTANCE']"));
        row.findElement(By.cssSelector("button[data-action='accept']")).click();
        browser.waitFor(By.cssSelector("#peerings-table tr[data-name='a-b'][data-state='ACTIVE']"));
        shot("peerings");
    }

    /**
     * The network form PATCHes the address space, a subnet is renamed; the peering shows it is not in sync until its
     * Sync button.
     */
    private void growAnAddressSpaceAndSyncThePeering() throws Exception {
        browser.navigate("networks");
        WebElement link = browser.waitFor(By.cssSelector("#networks-table tr[data-name='web-a'] a"));
        browser.follow(link, "networks");
        WebElement form = browser.waitFor(By.id("network-form"));
        type(form, "cidrs", "10.61.0.0/16, 10.63.0.0/16");
        type(form, "description", "grown");
        submit(form);
        browser.waitFor(By.xpath("//p[@id='network-description' and text()='grown']"));
        assertTrue(browser.driver().findElement(By.cssSelector("section.page")).getText().contains("10.63.0.0/16"));
        WebElement rename = browser.waitFor(By.id("subnet-rename-form"));
        choose(rename, "subnet", "s-a");
        type(rename, "name", "front-a");
        submit(rename);
        browser.waitFor(By.cssSelector("#subnets-table tr[data-name='front-a']"));

        browser.navigate("peerings");
        String row = "#peerings-table tr[data-name='a-b']";
        browser.waitFor(By.cssSelector(row + " td.sync .badge[data-status='LOCAL_NOT_IN_SYNC']"));
        shot("peering-not-in-sync");
        browser.driver().findElement(By.cssSelector(row + " button[data-action='sync']")).click();
        browser.waitFor(By.cssSelector(row + " td.sync .badge[data-status='IN_SYNC']"));
        assertTrue(browser.driver().findElements(By.cssSelector(row + " button[data-action='sync']")).isEmpty());
        browser.driver().findElement(By.cssSelector(row + " button[data-action='toggle-autoSync']")).click();
        browser.waitFor(By.cssSelector(row + " button[data-action='toggle-autoSync'][aria-pressed='true']"));
        JsonObject peering = netloom.rest("GET", "/peerings/a-b", null).json().getAsJsonObject();
        assertTrue(peering.toString(), peering.get("autoSync").getAsBoolean());
        assertTrue(peering.toString(), peering.get("networkCidrs").toString().contains("10.63.0.0/16"));
    }

    private void topologyShowsTheActivePeeringAndFollowsChanges() throws Exception {
        browser.navigate("topology");
        WebElement edge = browser.waitPresent(
                By.cssSelector("#topology-svg path.edge.peering[data-name='a-b'][data-state='ACTIVE']"));
        assertEquals(ACTIVE_COLOUR, edge.getAttribute("stroke"));
        assertEquals(2, browser.driver().findElements(By.cssSelector("#topology-svg g.network")).size());
        assertEquals(2, browser.driver().findElements(By.cssSelector("#topology-svg circle.port")).size());

        // Made elsewhere, it appears without a reload: the page polls /topology.
        assertEquals(201, netloom.rest("POST", "/ports", "{\"name\":\"vm-c\",\"network\":\"web-b\"}").status());
        WebElement port = browser.waitPresent(By.cssSelector("#topology-svg circle.port[data-name='vm-c']"));
        assertEquals(STATUS_COLOURS.get(port.getAttribute("data-status")), port.getAttribute("fill"));
        browser.screenshot(target.resolve("console-topology.png"));
        assertTrue(Files.size(target.resolve("console-topology.png")) > 10_000);
    }

    private void explainShowsVerdictAndHops() throws Exception {
        WebElement form = browser.navigate("explain").findElement(By.id("explain-form"));
        chooseStartingWith(form, "from", "vm-b ·");
        chooseStartingWith(form, "to", "vm-a ·");
        choose(form, "protocol", "tcp");
        type(form, "port", "80");
        submit(form);
        WebElement result = browser.waitPresent(By.cssSelector("#explain-result[data-verdict='ALLOW']"));
        JsonObject api = netloom.rest("GET", "/explain?from=vm-b&to=vm-a&protocol=tcp&port=80", null)
                .json().getAsJsonObject();
        assertEquals("ALLOW", api.get("verdict").getAsString());
        List<WebElement> hops = result.findElements(By.cssSelector("#hops-table tbody tr"));
        assertEquals(api.getAsJsonArray("hops").size(), hops.size());
        assertEquals("ingress-firewall", hops.get(hops.size() - 1).getAttribute("data-layer"));
        shot("explain");

        type(form, "port", "22");
        submit(form);
        browser.waitPresent(By.cssSelector("#explain-result[data-verdict='DENY']"));
        assertTrue(browser.driver().findElement(By.id("hops-table")).getText().contains("default-ingress-deny"));
    }

    /** The controller's own node, with its ports; drained from its row and taken back. */
    private void nodesPageShowsTheLocalNodeAndDrainsIt() throws Exception {
        browser.navigate("nodes");
        WebElement local = browser.waitFor(By.cssSelector("#nodes-table tr[data-id='node-sim'][data-status='UP']"));
        assertTrue(local.getText(), local.getText().contains("sim") && local.getText().contains("local"));
        shot("nodes");
        local.findElement(By.cssSelector("button[data-action='drain']")).click();
        WebElement drained = browser.waitFor(
                By.cssSelector("#nodes-table tr[data-id='node-sim'][data-status='DRAINING']"));
        assertEquals("DRAINING", netloom.rest("GET", "/nodes/node-sim", null).json().getAsJsonObject().get("status")
                .getAsString());
        drained.findElement(By.cssSelector("button[data-action='resume']")).click();
        browser.waitFor(By.cssSelector("#nodes-table tr[data-id='node-sim'][data-status='UP']"));
        assertEquals("UP", netloom.rest("GET", "/nodes/node-sim", null).json().getAsJsonObject().get("status")
                .getAsString());
    }

    private void deleteEverythingCreated() throws Exception {
        browser.navigate("peerings");
        // A deleted peering stays listed, DELETED, for its retention (it goes with its networks below).
        String peering = "#peerings-table [data-name='a-b']";
        browser.confirmDelete(browser.waitFor(By.cssSelector(peering + " button[data-action='delete']")));
        browser.waitFor(By.cssSelector(peering + "[data-state='DELETED']"));

        browser.navigate("ports");
        // An administrator isolates a port from its row, then releases it.
        String vmC = "#ports-table [data-name='vm-c']";
        browser.waitFor(By.cssSelector(vmC + " button[data-action='quarantine']")).click();
        browser.waitFor(By.cssSelector(vmC + "[data-quarantined='true'] button[data-action='release']"));
        assertTrue(netloom.rest("GET", "/ports?network=web-b", null).body().contains("\"quarantined\":true"));
        shot("ports-quarantined");
        browser.waitFor(By.cssSelector(vmC + " button[data-action='release']")).click();
        browser.waitFor(By.cssSelector(vmC + "[data-quarantined='false']"));
        deleteRow("#ports-table", "vm-c");

        for (String[] n : new String[][] {{"web-a", "vm-a", "front-a"}, {"web-b", "vm-b", "s-b"}}) {
            browser.navigate("networks");
            browser.follow(browser.waitFor(By.cssSelector("#networks-table tr[data-name='" + n[0] + "'] a")),
                    "networks");
            deleteRow("#network-ports-table", n[1]);
            deleteRow("#subnets-table", n[2]);
        }
        browser.navigate("networks");
        deleteRow("#networks-table", "web-a");
        deleteRow("#networks-table", "web-b");
        browser.navigate("security-groups");
        deleteRow("#groups-table", "web");

        assertEquals(0, netloom.rest("GET", "/networks", null).json().getAsJsonArray().size());
        assertEquals(0, netloom.rest("GET", "/ports", null).json().getAsJsonArray().size());
        assertEquals(0, netloom.rest("GET", "/peerings", null).json().getAsJsonArray().size());
        for (JsonElement group : netloom.rest("GET", "/security-groups", null).json().getAsJsonArray()) {
            assertFalse(group.toString(), "web".equals(group.getAsJsonObject().get("name").getAsString()));
        }
    }

    // ---- helpers ----

    /** Keeps a picture of the page as it is now, as target/console-NAME.png. */
    private void shot(String name) throws IOException {
        browser.screenshot(target.resolve("console-" + name + ".png"));
    }

    private void deleteRow(String table, String name) {
        String row = table + " [data-name='" + name + "']";
        browser.confirmDelete(browser.waitFor(By.cssSelector(row + " button[data-action='delete']")));
        browser.waitGone(By.cssSelector(row));
    }

    private static void chooseStartingWith(WebElement form, String field, String prefix) {
        Select select = new Select(form.findElement(By.name(field)));
        for (WebElement option : select.getOptions()) {
            if (option.getText().startsWith(prefix)) {
                select.selectByValue(option.getAttribute("value"));
                return;
            }
        }
        fail("no option starting with '" + prefix + "' in " + field);
    }

    /**
     * Adds a second administrator to {@code etc/users.properties} before the first start, as an operator would by
     * hand: in plain text, which Karaf replaces with its salted hash (bcrypt) at start.
     *
     * @return the user's password
     */
    private static String addOperator(Path home) throws Exception {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        Files.writeString(home.resolve("etc/users.properties"),
                "\n" + OPERATOR + " = " + secret + ",_g_\\:admingroup\n",
                StandardCharsets.ISO_8859_1, StandardOpenOption.APPEND);
        return secret;
    }
}
