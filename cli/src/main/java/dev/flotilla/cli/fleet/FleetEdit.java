package dev.flotilla.cli.fleet;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.fleet.FleetTree;
import dev.flotilla.schema.Problem;
import dev.flotilla.git.FileChange;
import dev.flotilla.validate.EditCheck;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Files a command is about to write or commit, new, replacing old ones or deleted, and the flags their fields came
 * from. {@link #refuseNewErrors} validates the fleet as it would be with them ({@link EditCheck}, the check the
 * reconciler's own commits go through), and refuses the edit when that fleet has errors the fleet before did not
 * have: a command never writes what the reconciler would then refuse. Errors the fleet had already are not this
 * edit's. Every commit of {@link CheckoutOptions} takes one, so no command commits unchecked.
 */
public final class FleetEdit {
  private final String action;
  private final List<FileChange> changes;
  private final Set<String> paths;
  private final Map<String, Flag> flags = new LinkedHashMap<>();
  private boolean baseValid;

  /** A flag as errors name it, and the fix to print instead of the file-editing hint; null keeps the hint. */
  private record Flag(String label, String fix) {}

  /** {@code action} starts each message, such as {@code create rollout}; {@code files} maps paths to new text. */
  public FleetEdit(String action, Map<String, String> files) {
    this(action, files.entrySet().stream().map(e -> (FileChange) FileChange.put(e.getKey(), e.getValue())).toList());
  }

  /** As {@link #FleetEdit(String, Map)}, with any {@link FileChange}s, deletes included. */
  public FleetEdit(String action, List<FileChange> changes) {
    this.action = action;
    this.changes = List.copyOf(changes);
    this.paths = changes.stream().map(FileChange::path).collect(Collectors.toUnmodifiableSet());
  }

  public List<FileChange> changes() {
    return changes;
  }

  /**
   * Says that {@code field} of the edited files (such as {@code spec.waves[0]}), and what is inside it, came from
   * {@code flag} (such as {@code --wave 'a:1'}), so that errors there name the flag. The longest field wins.
   */
  public FleetEdit flag(String field, String flag) {
    return flag(field, flag, null);
  }

  /** As {@link #flag(String, String)}, with {@code fix} said instead of the hint, which speaks of the file. */
  public FleetEdit flag(String field, String flag, String fix) {
    flags.put(field, new Flag(flag, fix));
    return this;
  }

  /**
   * Says the fleet the files go into was validated already and has no errors (a {@link FleetCheckout} opened it),
   * so {@link #newErrors} need not validate it again: every error of the edited fleet is new.
   */
  public FleetEdit onValidBase() {
    baseValid = true;
    return this;
  }

  /** The errors the fleet {@code before} with these files has and {@code before} alone has not, in order. */
  public List<Problem> newErrors(FleetTree before) throws IOException {
    return new EditCheck(new FleetValidator(Clock.systemUTC())).newErrors(before, changes, baseValid);
  }

  /**
   * Throws a {@link UserException} with one line per new error when the edit adds any: exit 2 when each
   * comes from a flag (the line names the flag), else 1 (the line names the file and place).
   */
  public void refuseNewErrors(FleetTree before) throws IOException {
    var errors = newErrors(before);
    if (errors.isEmpty()) {
      return;
    }
    var lines = new ArrayList<String>();
    boolean allFromFlags = true;
    for (var error : errors) {
      var flag = flagOf(error);
      allFromFlags &= flag != null;
      lines.add(action + ": " + (flag == null ? error.toString() : flagLine(flag, error)));
    }
    throw new UserException(allFromFlags ? ExitCodes.USAGE : ExitCodes.FAILURE, String.join("\n", lines));
  }

  /** The field prefix of {@link #flags} that holds the error's field, longest first; null when none does. */
  private String flagOf(Problem error) {
    if (!paths.contains(error.file())) {
      return null;
    }
    String best = null;
    for (var field : flags.keySet()) {
      var inside = error.field().equals(field) || error.field().startsWith(field + ".")
          || error.field().startsWith(field + "[");
      if (inside && (best == null || field.length() > best.length())) {
        best = field;
      }
    }
    return best;
  }

  /** {@code --wave 'a:150%': percent must ...; hint}: the flag, the field inside what it gave, the message. */
  private String flagLine(String field, Problem error) {
    var inside = error.field().substring(field.length()).replaceFirst("^\\.", "");
    var message = inside.isEmpty() ? error.message() : inside + " " + error.message();
    var flag = flags.get(field);
    var hint = flag.fix() != null ? flag.fix() : error.hint();
    return flag.label() + ": " + message + (hint.isEmpty() ? "" : "; " + hint);
  }
}
