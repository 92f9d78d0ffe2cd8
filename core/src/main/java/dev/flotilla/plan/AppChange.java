package dev.flotilla.plan;

/** A change to one app: its resource kind is {@code app} and its name the app's. */
public sealed interface AppChange extends Change permits InstallApp, SwitchApp, ReconfigureApp, RemoveApp {

  /** The app's name. */
  String app();

  /** The unit the app leaves for its newly declared one, or null when its unit stays (or it has none yet). */
  default PreviousUnit previousUnit() {
    return null;
  }

  @Override
  default String kind() {
    return "app";
  }

  @Override
  default String name() {
    return app();
  }
}
