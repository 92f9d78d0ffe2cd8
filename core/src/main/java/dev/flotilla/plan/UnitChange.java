package dev.flotilla.plan;

/** A change to one systemd unit: its resource kind is {@code unit} and its name the unit's. */
public sealed interface UnitChange extends Change permits WriteUnitFile, EnableUnit, StartUnit, StopUnit,
    DeleteUnitFile {

  /** The unit's name, such as {@code chrony.service}. */
  String unit();

  @Override
  default String kind() {
    return "unit";
  }

  @Override
  default String name() {
    return unit();
  }
}
