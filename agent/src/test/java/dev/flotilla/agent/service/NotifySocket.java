package dev.flotilla.agent.service;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;

/** A real unix datagram socket bound at a path, as systemd binds $NOTIFY_SOCKET: the receiving end for tests. */
final class NotifySocket implements AutoCloseable {
  private final int fd;

  NotifySocket(String path) {
    fd = Lib.INSTANCE.socket(1, 2, 0);
    var address = SdNotify.sockaddr(path);
    Lib.INSTANCE.bind(fd, address, address.length);
  }

  /** The next datagram, blocking until one arrives. */
  String receive() {
    var buffer = new byte[4096];
    var n = Lib.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), 0).intValue();
    return new String(buffer, 0, n, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    Lib.INSTANCE.close(fd);
  }

  interface Lib extends Library {
    Lib INSTANCE = Native.load("c", Lib.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] address, int length) throws LastErrorException;

    NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

    int close(int fd);
  }
}
