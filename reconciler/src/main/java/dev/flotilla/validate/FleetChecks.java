package dev.flotilla.validate;

import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.schema.Problem;
import dev.flotilla.render.FleetIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks across files that a schema cannot express: references, tenant isolation, uniqueness, device keys,
 * selectors, policy conflicts, waves, expiry, quotas, artifact signatures and bundle sizes. Pure: the same snapshot and instant give
 * the same problems, in {@link Problem#ORDER}.
 */
public final class FleetChecks {
  private FleetChecks() {}

  public static List<Problem> check(FleetSnapshot snapshot, Instant now) {
    var index = FleetIndex.of(snapshot);
    var problems = new ArrayList<Problem>();
    ReferenceChecks.check(index, problems);
    OperatorChecks.check(index, problems);
    DeviceKeyChecks.check(index, problems);
    SecretChecks.check(index, problems);
    SelectionChecks.check(index, problems);
    RolloutChecks.check(index, problems);
    LifecycleChecks.check(index, now, problems);
    SignatureChecks.check(index, problems);
    BundleSizeChecks.check(index, problems);
    problems.sort(Problem.ORDER);
    return problems;
  }
}
