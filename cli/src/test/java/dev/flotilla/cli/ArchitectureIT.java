package dev.flotilla.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The structure the modules and packages promise (docs/architecture.md): packages free of cycles, modules that
 * depend one way ({@code model} → {@code core} → {@code reconciler}, {@code agent} → {@code cli}), an agent that
 * never reaches JGit or the reconciler, and every package in one module only. Reads the main classes of every
 * module on the CLI's class path (tests left out), about 3 s, so it runs with the integration tests.
 */
@AnalyzeClasses(packages = "dev.flotilla", importOptions = ArchitectureIT.MainClassesOnly.class)
class ArchitectureIT {
  private static final String[] MODEL = {"dev.flotilla.model..", "dev.flotilla.fleet..", "dev.flotilla.schema.."};
  private static final String[] CORE = {"dev.flotilla.artifact..", "dev.flotilla.auth..", "dev.flotilla.build..",
      "dev.flotilla.bundle..", "dev.flotilla.digest..", "dev.flotilla.io..", "dev.flotilla.output..",
      "dev.flotilla.plan..", "dev.flotilla.trust..", "dev.flotilla.window..", "dev.flotilla.receipt..",
      "dev.flotilla.oci..", "dev.flotilla.secret..", "dev.flotilla.log.."};
  private static final String[] RECONCILER = {"dev.flotilla.api..", "dev.flotilla.claim..", "dev.flotilla.git..",
      "dev.flotilla.history..", "dev.flotilla.preview..", "dev.flotilla.publish..", "dev.flotilla.reconcile..",
      "dev.flotilla.render..", "dev.flotilla.rollout..", "dev.flotilla.server..", "dev.flotilla.status..",
      "dev.flotilla.validate..", "dev.flotilla.access..", "dev.flotilla.ui..", "dev.flotilla.notify..",
      "dev.flotilla.report..", "dev.flotilla.audit..", "dev.flotilla.tls.."};
  private static final String[] AGENT = {"dev.flotilla.agent.."};
  private static final String[] CLI = {"dev.flotilla.cli.."};

  /** Classes from a module's main output: no test classes, no test jars. */
  static final class MainClassesOnly implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("/test-classes/") && !location.contains("-tests.jar");
    }
  }

  @ArchTest
  static final ArchRule packagesHaveNoCycles = slices().matching("dev.flotilla.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule modulesDependOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("model").definedBy(MODEL)
      .layer("core").definedBy(CORE)
      .layer("reconciler").definedBy(RECONCILER)
      .layer("agent").definedBy(AGENT)
      .layer("cli").definedBy(CLI)
      .whereLayer("cli").mayNotBeAccessedByAnyLayer()
      .whereLayer("reconciler").mayOnlyBeAccessedByLayers("cli")
      .whereLayer("agent").mayOnlyBeAccessedByLayers("cli")
      .whereLayer("core").mayOnlyBeAccessedByLayers("reconciler", "agent", "cli")
      .whereLayer("model").mayOnlyBeAccessedByLayers("core", "reconciler", "agent", "cli");

  @ArchTest
  static final ArchRule agentNeverReachesJGitOrReconciler = noClasses().that().resideInAnyPackage(AGENT)
      .should().dependOnClassesThat().resideInAnyPackage(concat(RECONCILER, "org.eclipse.jgit.."));

  @ArchTest
  static void everyPackageBelongsToOneModuleListedHere(JavaClasses classes) {
    var listed = new TreeSet<String>();
    for (var module : new String[][] {MODEL, CORE, RECONCILER, AGENT, CLI}) {
      listed.addAll(Set.of(module));
    }
    assertThat(classes.stream().map(JavaClass::getPackageName)).as("packages read, one of each module")
        .contains("dev.flotilla.fleet", "dev.flotilla.bundle", "dev.flotilla.reconcile", "dev.flotilla.agent",
            "dev.flotilla.cli");
    var unlisted = classes.stream().map(JavaClass::getPackageName)
        .filter(p -> listed.stream().noneMatch(l -> p.equals(root(l)) || p.startsWith(root(l) + ".")))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(unlisted).as("packages no module of this test names").isEmpty();
    var split = new TreeMap<String, Set<String>>();
    classes.forEach(c -> split.computeIfAbsent(c.getPackageName(), p -> new TreeSet<>()).add(codeSource(c)));
    split.values().removeIf(sources -> sources.size() == 1);
    assertThat(split).as("packages split over several modules").isEqualTo(Map.of());
  }

  private static String root(String pattern) {
    return pattern.substring(0, pattern.length() - 2);
  }

  /** The jar or class directory a class was read from. */
  private static String codeSource(JavaClass c) {
    var uri = c.getSource().orElseThrow().getUri().toString();
    return uri.substring(0, uri.indexOf("/dev/flotilla/"));
  }

  private static String[] concat(String[] packages, String more) {
    var out = java.util.Arrays.copyOf(packages, packages.length + 1);
    out[packages.length] = more;
    return out;
  }
}
