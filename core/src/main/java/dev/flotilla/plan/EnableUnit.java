package dev.flotilla.plan;

/**
 * Makes a unit start at boot, or stop starting at boot ({@code EnableUnitFiles} / {@code DisableUnitFiles}).
 *
 * @param unit the unit's name
 * @param enable true to enable, false to disable
 */
public record EnableUnit(String unit, boolean enable) implements UnitChange {

  @Override
  public String line() {
    return (enable ? "+ unit " : "- unit ") + unit + (enable ? " (enable)" : " (disable)");
  }

  @Override
  public String toString() {
    return line();
  }
}
