package dev.flotilla.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A held change wrote nothing: the inventory recorded after the apply keeps its resource as it was before. */
class InventoryHoldingTest {
  static final Inventory BEFORE = new Inventory(Set.of("/etc/a"), Set.of("vm.x"), Set.of("old.service"),
      Map.of("menu", new Inventory.App("old.service", true)));
  static final Inventory DECLARED = new Inventory(Set.of("/etc/a", "/etc/b"), Set.of("vm.x", "vm.y"),
      Set.of("new.service"), Map.of("menu", new Inventory.App("new.service", true), "pos", new Inventory.App(
          "pos.service", false)));

  @Test
  void aHeldAppMoveKeepsItsOldUnitSoTheNextPassStillRetiresIt() {
    var after = DECLARED.holding(BEFORE, Set.of("app:menu", "app:pos"));

    assertThat(after.apps()).containsExactly(Map.entry("menu", new Inventory.App("old.service", true)));
  }

  @Test
  void heldFilesKeysAndUnitFilesAreOwnedOnlyWhenTheyWereBefore() {
    var after = DECLARED.holding(BEFORE, Set.of("file:/etc/b", "sysctl:vm.y", "unit:new.service", "unit:old.service"));

    assertThat(after.files()).containsExactly("/etc/a");
    assertThat(after.sysctlKeys()).containsExactly("vm.x");
    assertThat(after.unitFiles()).containsExactly("old.service");
  }

  @Test
  void nothingHeldIsTheDeclaredInventory() {
    assertThat(DECLARED.holding(BEFORE, Set.of())).isEqualTo(DECLARED);
  }
}
