package dev.flotilla.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.schema.Location;
import dev.flotilla.schema.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributionTest {
  static final String ACME_DEVICE = "tenants/acme/devices/k1.yaml";
  static final String GLOBEX_DEVICE = "tenants/globex/devices/p1.yaml";

  static Problem error(String file) {
    return Problem.error(file, new Location(3, 1), "", "wrong", "");
  }

  @Test
  void fileInATenantFolderIsThatTenants() {
    assertThat(Attribution.tenantOf(ACME_DEVICE)).contains("acme");
    assertThat(Attribution.tenantOf("tenants/acme/tenant.yaml")).contains("acme");
    assertThat(Attribution.tenantOf("tenants/acme/notes/misplaced.yaml")).contains("acme");
  }

  @Test
  void everyOtherFileIsShared() {
    assertThat(Attribution.tenantOf("fleet.yaml")).isEmpty();
    assertThat(Attribution.tenantOf("trust/root.json")).isEmpty();
    assertThat(Attribution.tenantOf("artifacts/kiosk-ui/1.5.0.yaml")).isEmpty();
    assertThat(Attribution.tenantOf("tenants/acme.yaml")).isEmpty();
    assertThat(Attribution.tenantOf("tenants//x.yaml")).isEmpty();
  }

  @Test
  void errorInATenantsOwnFileHoldsBackOnlyThatTenant() {
    var attribution = Attribution.of(List.of(error(ACME_DEVICE)));

    assertThat(attribution.refusesCommit()).isFalse();
    assertThat(attribution.tenants()).containsOnlyKeys("acme");
    assertThat(attribution.tenants().get("acme")).containsExactly(error(ACME_DEVICE));
  }

  @Test
  void duplicateAcrossTwoTenantsHoldsBackBoth() {
    var duplicate = error(GLOBEX_DEVICE).involving(ACME_DEVICE);

    var attribution = Attribution.of(List.of(duplicate));

    assertThat(attribution.refusesCommit()).isFalse();
    assertThat(attribution.tenants()).containsOnlyKeys("acme", "globex");
    assertThat(attribution.tenants().get("acme")).containsExactly(duplicate);
  }

  @Test
  void errorInvolvingASharedFileRefusesTheCommit() {
    var unsigned = error("artifacts/kiosk-ui/1.5.0.yaml").involving(ACME_DEVICE);

    var attribution = Attribution.of(List.of(unsigned, error(GLOBEX_DEVICE)));

    assertThat(attribution.refusesCommit()).isTrue();
    assertThat(attribution.fleetWide()).containsExactly(unsigned);
    assertThat(attribution.tenants()).containsOnlyKeys("globex");
  }

  @Test
  void warningsHoldBackNothing() {
    var attribution = Attribution.of(List.of(Problem.warning("fleet.yaml", Location.START, "", "odd", ""),
        Problem.warning(ACME_DEVICE, Location.START, "", "odd", "")));

    assertThat(attribution.refusesCommit()).isFalse();
    assertThat(attribution.tenants()).isEmpty();
  }

  @Test
  void involvedFilesAreSortedWithoutTheProblemsOwnFile() {
    var problem = error(GLOBEX_DEVICE).involving(GLOBEX_DEVICE, "tenants/b/x.yaml", ACME_DEVICE);

    assertThat(problem.files()).containsExactly(GLOBEX_DEVICE, ACME_DEVICE, "tenants/b/x.yaml");
    assertThat(problem.toString()).isEqualTo(error(GLOBEX_DEVICE).toString());
  }
}
