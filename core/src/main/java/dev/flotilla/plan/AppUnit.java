package dev.flotilla.plan;

import dev.flotilla.model.AppSpec;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The unit file the agent generates for an app that ships none: its command, run from {@code current}. Pure; the
 * planner compares it with the unit file on the host, so a changed command or environment is applied without a new
 * version.
 */
public final class AppUnit {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@+-]+");

  private AppUnit() {
  }

  /**
   * The unit text for {@code spec}: {@code ExecStart} is the command, its program relative to {@code current}
   * (the app's {@code current} directory on the device), {@code Restart=on-failure}, wanted by multi-user.
   */
  public static String generate(AppSpec spec, String current) {
    var command = spec.getCommand();
    var exec = new StringBuilder(quote(current + "/" + command.get(0)));
    command.subList(1, command.size()).forEach(arg -> exec.append(' ').append(quote(arg)));
    var text = new StringBuilder()
        .append("# Written by flotilla-agent for app '").append(spec.getName()).append("'; do not edit.\n")
        .append("[Unit]\nDescription=Flotilla app ").append(spec.getName()).append('\n')
        .append("\n[Service]\nExecStart=").append(exec).append('\n')
        .append("WorkingDirectory=").append(quote(current)).append('\n');
    if (spec.getEnvironment() != null) {
      new TreeMap<>(spec.getEnvironment()).forEach((k, v) ->
          text.append("Environment=").append(quote(k + "=" + v)).append('\n'));
    }
    return text.append("Restart=on-failure\nRestartSec=1\n")
        .append("\n[Install]\nWantedBy=multi-user.target\n").toString();
  }

  /** An argument as systemd reads it: plain, or double-quoted with {@code \}, {@code "} escaped; {@code %} and
   * {@code $} doubled so systemd does not expand them. */
  static String quote(String arg) {
    var escaped = arg.replace("%", "%%").replace("$", "$$");
    if (PLAIN.matcher(arg).matches()) {
      return escaped;
    }
    return '"' + escaped.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
