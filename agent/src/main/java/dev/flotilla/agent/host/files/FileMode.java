package dev.flotilla.agent.host.files;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Permission bits as the fleet files write them: three or four octal digits, such as {@code 0644}. */
public final class FileMode {
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");

  private FileMode() {
  }

  /** The permissions {@code mode} stands for, or empty when it is not three or four octal digits. */
  public static Optional<Set<PosixFilePermission>> parse(String mode) {
    if (mode == null || !MODE.matcher(mode).matches()) {
      return Optional.empty();
    }
    int bits = Integer.parseInt(mode, 8);
    var permissions = EnumSet.noneOf(PosixFilePermission.class);
    for (var permission : PosixFilePermission.values()) {
      if ((bits & bit(permission)) != 0) {
        permissions.add(permission);
      }
    }
    return Optional.of(permissions);
  }

  /** {@code permissions} as four octal digits. */
  public static String format(Set<PosixFilePermission> permissions) {
    int bits = 0;
    for (var permission : permissions) {
      bits |= bit(permission);
    }
    return String.format("%04o", bits);
  }

  /** OWNER_READ is 0400, OWNER_WRITE 0200, … OTHERS_EXECUTE 0001: the enum is declared in that order. */
  private static int bit(PosixFilePermission permission) {
    return 0400 >> permission.ordinal();
  }
}
