package io.netloom.itests.openstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.netloom.itests.openstack.OpenStackSetup.Account;

/**
 * Writes the configuration of a Tempest workspace (made by {@code tempest init}) for Netloom: pre-provisioned
 * accounts (two members in two projects and one administrator; Netloom has no Keystone administration API for
 * Tempest to make its own), the Keystone URL, exactly the Neutron extensions Netloom implements, and no other
 * OpenStack service.
 */
final class TempestConfig {

    /** The Neutron extensions Netloom implements: what its {@code /v2.0/extensions} lists. */
    static final List<String> EXTENSIONS = List.of("security-group", "project-id", "allowed-address-pairs",
            "ip-substring-filtering");

    private TempestConfig() {
    }

    /** Writes {@code etc/tempest.conf} and {@code etc/accounts.yaml} into the workspace. */
    static void write(Path workspace, OpenStackSetup setup) throws IOException {
        Path etc = workspace.resolve("etc");
        Files.createDirectories(etc);
        Path accounts = etc.resolve("accounts.yaml");
        StringBuilder yaml = new StringBuilder();
        for (Account a : List.of(setup.alice, setup.bob)) {
            yaml.append(account(a)).append("  roles: [member]\n");
        }
        yaml.append(account(setup.admin)).append("  types: [admin]\n");
        Files.writeString(accounts, yaml.toString(), StandardCharsets.UTF_8);
        String conf = String.join("\n",
                "[DEFAULT]",
                "log_file = tempest.log",
                "",
                "[auth]",
                "use_dynamic_credentials = false",
                "test_accounts_file = " + accounts.toAbsolutePath(),
                "default_credentials_domain_name = Default",
                "create_isolated_networks = false",
                "",
                "[identity]",
                "uri_v3 = " + setup.identityUrl() + "/v3",
                "auth_version = v3",
                "region = RegionOne",
                "",
                "[identity-feature-enabled]",
                "api_v2 = false",
                "",
                "[network]",
                "project_network_cidr = 10.100.0.0/16",
                "project_network_mask_bits = 28",
                "project_network_v6_cidr = 2001:db8::/48",
                "project_network_v6_mask_bits = 64",
                "shared_physical_network = false",
                "",
                "[network-feature-enabled]",
                "api_extensions = " + String.join(",", EXTENSIONS),
                "ipv6 = true",
                // Router advertisement and address modes (SLAAC, DHCPv6) are not Netloom's: addresses are static.
                "ipv6_subnet_attributes = false",
                "port_security = false",
                "",
                "[service_available]",
                "neutron = true",
                "nova = false",
                "cinder = false",
                "glance = false",
                "swift = false",
                "horizon = false",
                "");
        Files.writeString(etc.resolve("tempest.conf"), conf, StandardCharsets.UTF_8);
    }

    private static String account(Account a) {
        return "- username: " + a.user() + "\n  project_name: " + a.project() + "\n  password: " + a.password()
                + "\n  domain_name: Default\n";
    }
}
