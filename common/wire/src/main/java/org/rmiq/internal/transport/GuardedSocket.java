package org.rmiq.internal.transport;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An authenticated connection as RMI uses it, with one extra rule: at most {@code maxCallBytes} may
 * arrive between two writes of ours. JRMP answers every call before the next one comes, so this
 * bounds each call (and each reply, on a worker) before it is read into memory, whatever it holds:
 * a 300 MB string is cut off at the limit instead of filling the heap. Closing it tells the owner
 * once, so the master can count its open connections.
 */
// Every method delegates to the inner socket, which synchronizes where Socket does.
@SuppressWarnings("UnsynchronizedOverridesSynchronized")
final class GuardedSocket extends Socket {
  private final Socket inner;
  private final long maxCallBytes;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Bytes read since we last wrote. */
  private volatile long sinceWrite;

  private final InputStream in;
  private final OutputStream out;

  /** The role the peer proved (the master's side), or null (a client's side). */
  private final PeerRole role;

  /** The master's budget of bytes in flight over all connections, or null (a client's side). */
  private final InFlight inFlight;

  GuardedSocket(Socket inner, long maxCallBytes, Runnable onClose, PeerRole role)
      throws IOException {
    this(inner, maxCallBytes, onClose, role, null);
  }

  GuardedSocket(Socket inner, long maxCallBytes, Runnable onClose, PeerRole role, InFlight inFlight)
      throws IOException {
    super((java.net.SocketImpl) null);
    this.inner = inner;
    this.role = role;
    this.inFlight = inFlight;
    this.maxCallBytes = maxCallBytes;
    this.onClose = onClose;
    this.in = new Counted(inner.getInputStream());
    this.out = new Resetting(inner.getOutputStream());
  }

  @Override
  public InputStream getInputStream() {
    return in;
  }

  @Override
  public OutputStream getOutputStream() {
    return out;
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      try {
        inner.close();
      } finally {
        answered();
        onClose.run();
      }
    }
  }

  /** The call read so far was answered (or the connection closed): its bytes are no longer held. */
  private void answered() {
    long held = sinceWrite;
    sinceWrite = 0;
    if (inFlight != null && held > 0) {
      inFlight.release(held);
    }
  }

  @Override
  public boolean isClosed() {
    return closed.get() || inner.isClosed();
  }

  @Override
  public boolean isConnected() {
    return inner.isConnected();
  }

  @Override
  public boolean isBound() {
    return inner.isBound();
  }

  @Override
  public boolean isInputShutdown() {
    return inner.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return inner.isOutputShutdown();
  }

  @Override
  public void shutdownInput() throws IOException {
    inner.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    inner.shutdownOutput();
  }

  @Override
  public InetAddress getInetAddress() {
    return inner.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return inner.getLocalAddress();
  }

  @Override
  public int getPort() {
    return inner.getPort();
  }

  @Override
  public int getLocalPort() {
    return inner.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return inner.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return inner.getLocalSocketAddress();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    inner.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return inner.getSoTimeout();
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    inner.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return inner.getTcpNoDelay();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    inner.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return inner.getKeepAlive();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    inner.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return inner.getSoLinger();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    inner.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return inner.getSendBufferSize();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    inner.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return inner.getReceiveBufferSize();
  }

  @Override
  public String toString() {
    return "rmiq connection " + inner.getRemoteSocketAddress();
  }

  private void counted(long n) throws IOException {
    if (inFlight != null && !inFlight.add(n)) {
      close();
      throw new IOException(
          "the master holds "
              + (inFlight.budget() >> 20)
              + " MiB of calls not yet answered (its budget); this connection was closed, try"
              + " again shortly");
    }
    long total = sinceWrite + n;
    sinceWrite = total;
    if (total > maxCallBytes) {
      close();
      throw new IOException(
          "the peer sent more than "
              + maxCallBytes
              + " bytes in one call; the connection was closed");
    }
  }

  /** Tells the reading thread (which serves the call it reads) whose call it is. */
  private void noteRole() {
    if (role != null) {
      PeerRole.noteReading(role);
    }
  }

  /** Counts what is read since the last write. */
  private final class Counted extends FilterInputStream {
    Counted(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      noteRole();
      int b = super.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      noteRole();
      int n = super.read(b, off, len);
      if (n > 0) {
        counted(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      counted(skipped);
      return skipped;
    }
  }

  /** Starts a new call's count whenever we write (an answer, or the next request). */
  private final class Resetting extends FilterOutputStream {
    Resetting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      answered();
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      answered();
      out.write(b, off, len);
    }
  }
}
