package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.AppSpec;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.UnitState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDiffTest {
  @Test
  void listsEveryKindOfChangeSortedByKindThenName() {
    var base = payload(state(
        Map.of("vm.swappiness", "60", "net.ipv4.ip_forward", "0"),
        file("/etc/motd", "hello\n", "0644"), file("/etc/old.conf", "x", "0644"),
        unit("chrony.service", UnitState.RUNNING, true), app("pos", "1.2.0")));
    var head = payload(state(
        Map.of("vm.swappiness", "10", "kernel.x", "1"),
        file("/etc/motd", "hello\n", "0600"), file("/etc/new.conf", "y", "0644"),
        unit("chrony.service", UnitState.STOPPED, true), app("pos", "1.3.0")));

    assertThat(StateDiff.diff(base, head)).containsExactly(
        "~ file /etc/motd (mode 0644 -> 0600)",
        "+ file /etc/new.conf",
        "- file /etc/old.conf (no longer declared)",
        "~ unit chrony.service (running -> stopped)",
        "+ sysctl kernel.x 1",
        "- sysctl net.ipv4.ip_forward (no longer managed)",
        "~ sysctl vm.swappiness 60 -> 10",
        "~ app pos 1.2.0 -> 1.3.0");
  }

  @Test
  void aNewDeviceGetsEverythingAddedAndARemovedOneEverythingRemoved() {
    var payload = payload(state(Map.of("a.b", "1"), file("/etc/f", "c", "0644"), null, app("ui", "2.0.0")));

    assertThat(StateDiff.diff(null, payload)).containsExactly("+ file /etc/f", "+ sysctl a.b 1", "+ app ui 2.0.0");
    assertThat(StateDiff.diff(payload, null))
        .containsExactly("- file /etc/f (no longer declared)", "- sysctl a.b (no longer managed)", "- app ui 2.0.0");
  }

  @Test
  void sameStateHasNoLinesAndContentOrSettingsChangesAreNamed() {
    var same = payload(state(Map.of("a.b", "1"), file("/etc/f", "c", "0644"), unit("x.service", UnitState.RUNNING, true), app("ui", "2.0.0")));
    assertThat(StateDiff.diff(same, same)).isEmpty();

    var changedApp = app("ui", "2.0.0");
    changedApp.setArtifact("ui-other");
    var head = payload(state(Map.of("a.b", "1"), file("/etc/f", "d", "0644"), unit("x.service", UnitState.RUNNING, false), changedApp));
    assertThat(StateDiff.diff(same, head)).containsExactly(
        "~ file /etc/f (content)", "~ unit x.service (enabled false)", "~ app ui (settings)");
  }

  private static BundlePayload payload(DesiredState state) {
    var payload = new BundlePayload();
    payload.setState(state);
    return payload;
  }

  private static DesiredState state(Map<String, String> sysctl, FileSpec a, Object b, AppSpec app) {
    var state = new DesiredState();
    state.setSysctl(new java.util.TreeMap<>(sysctl));
    state.getFiles().add(a);
    if (b instanceof FileSpec file) {
      state.getFiles().add(file);
    } else if (b instanceof ServiceSpec service) {
      state.getServices().add(service);
    }
    state.getApps().add(app);
    return state;
  }

  private static DesiredState state(Map<String, String> sysctl, FileSpec a, FileSpec b, ServiceSpec unit, AppSpec app) {
    var state = state(sysctl, a, b, app);
    state.getServices().add(unit);
    return state;
  }

  private static FileSpec file(String path, String content, String mode) {
    var file = new FileSpec();
    file.setPath(path);
    file.setContent(content);
    file.setMode(mode);
    return file;
  }

  private static ServiceSpec unit(String name, UnitState state, boolean enabled) {
    var unit = new ServiceSpec();
    unit.setUnit(name);
    unit.setState(state);
    unit.setEnabled(enabled);
    return unit;
  }

  private static AppSpec app(String name, String version) {
    var app = new AppSpec();
    app.setName(name);
    app.setArtifact(name);
    app.setVersion(version);
    return app;
  }
}
