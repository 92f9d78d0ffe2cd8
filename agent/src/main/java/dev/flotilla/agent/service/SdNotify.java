package dev.flotilla.agent.service;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Tells systemd about the service's state, as {@code sd_notify(3)} does: one datagram such as {@code READY=1} or
 * {@code WATCHDOG=1} to the unix socket named by {@code $NOTIFY_SOCKET} (a path, or {@code @name} in the abstract
 * namespace). The JDK has no unix datagram sockets, so this calls libc's {@code socket} and {@code sendto} through
 * JNA. Thread-safe; a socket per message, as libsystemd does.
 */
public final class SdNotify {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int MSG_NOSIGNAL = 0x4000;
  private static final int SUN_PATH = 108;
  private final byte[] address;
  private final String socket;

  private SdNotify(String socket, byte[] address) {
    this.socket = socket;
    this.address = address;
  }

  /**
   * The notifier for {@code notifySocket} (the value of {@code $NOTIFY_SOCKET}); empty when it is unset, as when
   * the agent does not run under systemd with {@code Type=notify}.
   *
   * @throws IllegalArgumentException when the name does not fit a unix socket address
   */
  public static Optional<SdNotify> of(String notifySocket) {
    if (notifySocket == null || notifySocket.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SdNotify(notifySocket, sockaddr(notifySocket)));
  }

  /**
   * Sends {@code state}, such as {@code READY=1} or {@code WATCHDOG=1}.
   *
   * @throws IOException naming the socket and the errno text when the datagram cannot be sent
   */
  public void send(String state) throws IOException {
    var message = state.getBytes(StandardCharsets.UTF_8);
    int fd;
    try {
      fd = LibC.INSTANCE.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new IOException("notify systemd at '" + socket + "': socket: errno " + e.getErrorCode(), e);
    }
    try {
      LibC.INSTANCE.sendto(fd, message, new NativeLong(message.length), MSG_NOSIGNAL, address, address.length);
    } catch (LastErrorException e) {
      throw new IOException("notify systemd at '" + socket + "': sendto: errno " + e.getErrorCode()
          + "; is NOTIFY_SOCKET the socket systemd gave this service?", e);
    } finally {
      LibC.INSTANCE.close(fd);
    }
  }

  /** {@code struct sockaddr_un} for a path, or for {@code @name} in the abstract namespace (leading NUL). */
  static byte[] sockaddr(String name) {
    var path = name.getBytes(StandardCharsets.UTF_8);
    var abstractName = path[0] == '@';
    if (path.length >= SUN_PATH) {
      throw new IllegalArgumentException("notify socket '" + name + "': longer than " + (SUN_PATH - 1) + " bytes");
    }
    var length = 2 + path.length + (abstractName ? 0 : 1);
    var buffer = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
    buffer.putShort((short) AF_UNIX).put(path);
    var bytes = buffer.array();
    if (abstractName) {
      bytes[2] = 0;
    }
    return bytes;
  }

  /** The few libc calls needed; errno becomes a {@link LastErrorException}. */
  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
        throws LastErrorException;

    int close(int fd);
  }
}
