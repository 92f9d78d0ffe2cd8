package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LayoutTest {
  @Test
  void placesEveryKind() {
    assertThat(Layout.place("fleet.yaml")).isEqualTo(new Layout.Slot(new Layout(Kind.FLEET, null, null, null)));
    assertThat(Layout.place("trust/root.json"))
        .isEqualTo(new Layout.Slot(new Layout(Kind.TRUST_ROOT, null, "root", null)));
    assertThat(Layout.place("tenants/acme/tenant.yaml"))
        .isEqualTo(new Layout.Slot(new Layout(Kind.TENANT, "acme", "acme", null)));
    assertThat(Layout.place("tenants/acme/devices/k1.yaml"))
        .isEqualTo(new Layout.Slot(new Layout(Kind.DEVICE, "acme", "k1", null)));
    assertThat(Layout.place("tenants/acme/claim-tokens/t.yaml"))
        .isEqualTo(new Layout.Slot(new Layout(Kind.CLAIM_TOKEN, "acme", "t", null)));
    assertThat(Layout.place("artifacts/ui/1.2.0.yaml"))
        .isEqualTo(new Layout.Slot(new Layout(Kind.ARTIFACT, null, "ui", "1.2.0")));
    assertThat(Layout.place("operators/night-shift.yaml"))
        .isEqualTo(new Layout.Slot(new Layout(Kind.OPERATOR, null, "night-shift", null)));
  }

  @Test
  void skipsFilesThatAreNotYaml() {
    assertThat(Layout.place("README.md")).isInstanceOf(Layout.Skip.class);
    assertThat(Layout.place("CODEOWNERS")).isInstanceOf(Layout.Skip.class);
  }

  @Test
  void refusesMisplacedFiles() {
    assertThat(Layout.place("tenants/acme/devices/sub/k1.yaml")).isInstanceOf(Layout.Misplaced.class);
    assertThat(Layout.place("devices/k1.yaml")).isInstanceOf(Layout.Misplaced.class);
    assertThat(Layout.place("trust/other.json")).isInstanceOf(Layout.Misplaced.class);
    assertThat(Layout.place("operators/acme/night-shift.yaml")).isInstanceOf(Layout.Misplaced.class);
    assertThat(Layout.place("tenants/acme/policies/p.yml"))
        .isEqualTo(new Layout.Misplaced("fleet files use the '.yaml' extension",
            "rename it to 'tenants/acme/policies/p.yaml'"));
  }
}
