package dev.flotilla.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.agent.drift.Drift;
import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.build.BuildInfo;
import dev.flotilla.model.Condition;
import dev.flotilla.model.ConditionStatus;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.HostSummary;
import dev.flotilla.model.HeldChange;
import dev.flotilla.model.ResourceStatus;
import dev.flotilla.model.StatusReport;
import dev.flotilla.model.WatcherSettings;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Builds the status report of a pass: one Ready condition, set in one place. */
final class StatusReports {
  private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL).build();

  private StatusReports() {}

  /**
   * Whether each declared resource matches after the pass, as {@link Drift#compliance} works it out; without a bus
   * units and apps are left to {@link UnitReports}, which reports them as not managed. Null when nothing is declared.
   */
  static List<ResourceStatus> compliance(DesiredState desired, Pass pass, SystemdHost systemd) {
    var resources = new ArrayList<ResourceStatus>();
    Drift.compliance(desired, pass.plan(), pass.applied()).forEach((key, compliant) -> {
      var kind = key.substring(0, key.indexOf(':'));
      if (systemd != null || kind.equals("file") || kind.equals("sysctl")) {
        var resource = new ResourceStatus();
        resource.setKind(kind);
        resource.setName(key.substring(kind.length() + 1));
        resource.setCompliant(compliant);
        resources.add(resource);
      }
    });
    return resources.isEmpty() ? null : resources;
  }

  /** The changes the pass holds for a maintenance window, each with until when; null when none waits. */
  static List<HeldChange> held(Pass pass) {
    var held = pass.held();
    var out = new ArrayList<HeldChange>();
    for (var change : held.changes()) {
      var hold = held.held().get(change.resourceKey());
      var entry = new HeldChange();
      entry.setChange(change.line());
      entry.setUntil(hold.until());
      entry.setAt(hold.at() == null ? null : hold.at().atOffset(ZoneOffset.UTC));
      out.add(entry);
    }
    return out.isEmpty() ? null : out;
  }

  /** With the units and apps of {@code desired} as {@link UnitReports} reads them; {@code systemd} null: no bus. */
  static byte[] of(String device, Pass pass, long driftEvents, Instant now, DesiredState desired,
      WatcherSettings watchers, SystemdHost systemd) {
    return of(device, pass, driftEvents, now, desired, watchers, systemd, null);
  }

  /** As above, with {@code host}: the changed part of the host summary, or null (none due). */
  static byte[] of(String device, Pass pass, long driftEvents, Instant now, DesiredState desired,
      WatcherSettings watchers, SystemdHost systemd, HostSummary host) {
    var report = new StatusReport();
    report.setDevice(device);
    if (pass.version() > 0) {
      report.setBundleVersion(pass.version());
    }
    report.setObservedAt(now.atOffset(ZoneOffset.UTC));
    report.setAgentVersion("flotilla-agent " + BuildInfo.current().describe());
    var ready = new Condition();
    ready.setType("Ready");
    ready.setStatus(pass.ready() ? ConditionStatus.TRUE : ConditionStatus.FALSE);
    ready.setReason(pass.reason());
    ready.setMessage(pass.message().length() > 4000 ? pass.message().substring(0, 4000) : pass.message());
    ready.setLastTransitionTime(now.atOffset(ZoneOffset.UTC));
    report.setConditions(List.of(ready));
    report.setDriftEvents(driftEvents);
    report.setResources(compliance(desired, pass, systemd));
    UnitReports.addTo(report, desired, watchers, systemd);
    report.setHost(host);
    report.setHeld(held(pass));
    try {
      return JSON.writeValueAsBytes(report);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
