package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.Kind;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.Metadata;
import dev.flotilla.model.Policy;
import dev.flotilla.model.PolicySpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyMergerTest {
  static Document<Policy> policy(String name, long priority, DesiredState state) {
    var policy = new Policy();
    policy.setMetadata(new Metadata());
    policy.getMetadata().setName(name);
    policy.setSpec(new PolicySpec());
    policy.getSpec().setPriority(priority);
    policy.getSpec().setState(state);
    return new Document<>("tenants/acme/policies/" + name + ".yaml", Kind.POLICY, policy, "acme", null);
  }

  static DesiredState sysctl(Map<String, String> values) {
    var state = new DesiredState();
    state.setSysctl(values);
    return state;
  }

  static DesiredState file(String path, String content) {
    var file = new FileSpec();
    file.setPath(path);
    file.setContent(content);
    var state = new DesiredState();
    state.getFiles().add(file);
    return state;
  }

  static PolicyMerger.Merged merge(DesiredState deviceState, Document<Policy>... policies) {
    return PolicyMerger.merge(List.of(policies).stream().map(PolicyMerger::contributions).toList(), deviceState);
  }

  @Test
  void higherPriorityWinsPerKey() {
    var merged = merge(null,
        policy("base", 0, sysctl(Map.of("vm.swappiness", "60", "net.ipv4.ip_forward", "0"))),
        policy("store", 10, sysctl(Map.of("vm.swappiness", "10"))));

    assertThat(merged.conflicts()).isEmpty();
    assertThat(merged.state().getSysctl())
        .containsExactly(Map.entry("net.ipv4.ip_forward", "0"), Map.entry("vm.swappiness", "10"));
  }

  @Test
  void equalPrioritiesThatDisagreeConflict() {
    var merged = merge(null, policy("a", 5, file("/etc/motd", "one")), policy("b", 5, file("/etc/motd", "two")));

    assertThat(merged.conflicts()).singleElement().satisfies(conflict -> {
      assertThat(conflict.key()).isEqualTo(new ResourceKey(ResourceKey.Type.FILE, "/etc/motd"));
      assertThat(conflict.first().policy().resource().getMetadata().getName()).isEqualTo("a");
      assertThat(conflict.second().policy().resource().getMetadata().getName()).isEqualTo("b");
    });
    assertThat(merged.state().getFiles()).extracting(FileSpec::getContent).containsExactly("one");
  }

  @Test
  void equalPrioritiesThatAgreeDoNotConflict() {
    var merged = merge(null, policy("a", 5, file("/etc/motd", "same")), policy("b", 5, file("/etc/motd", "same")));

    assertThat(merged.conflicts()).isEmpty();
  }

  @Test
  void deviceStateWinsOverEveryPolicy() {
    var merged = merge(sysctl(Map.of("vm.swappiness", "1")), policy("top", 1000, sysctl(Map.of("vm.swappiness", "99"))));

    assertThat(merged.state().getSysctl()).containsExactly(Map.entry("vm.swappiness", "1"));
  }

  @Test
  void mergedStateIsSortedSoRenderingIsDeterministic() {
    var merged = merge(null, policy("a", 0, file("/etc/z", "z")), policy("b", 0, file("/etc/a", "a")));

    assertThat(merged.state().getFiles()).extracting(FileSpec::getPath).containsExactly("/etc/a", "/etc/z");
  }
}
