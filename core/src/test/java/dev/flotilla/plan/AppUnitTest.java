package dev.flotilla.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.AppSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppUnitTest {

  @Test
  void generatesAUnitRunningTheCommandFromCurrent() {
    var spec = new AppSpec();
    spec.setName("kiosk-ui");
    spec.setCommand(List.of("bin/kiosk-ui", "--title", "Hello world", "100%"));
    spec.setEnvironment(Map.of("LOG", "info", "GREETING", "say \"hi\""));

    assertThat(AppUnit.generate(spec, "/var/lib/flotilla/apps/kiosk-ui/current")).isEqualTo("""
        # Written by flotilla-agent for app 'kiosk-ui'; do not edit.
        [Unit]
        Description=Flotilla app kiosk-ui

        [Service]
        ExecStart=/var/lib/flotilla/apps/kiosk-ui/current/bin/kiosk-ui --title "Hello world" "100%%"
        WorkingDirectory=/var/lib/flotilla/apps/kiosk-ui/current
        Environment="GREETING=say \\"hi\\""
        Environment=LOG=info
        Restart=on-failure
        RestartSec=1

        [Install]
        WantedBy=multi-user.target
        """);
  }
}
