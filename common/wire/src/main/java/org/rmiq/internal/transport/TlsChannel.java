package org.rmiq.internal.transport;

import com.google.common.hash.Hashing;
import com.google.common.io.BaseEncoding;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS 1.3 around every connection. The master presents a certificate it made at start; the worker
 * accepts any certificate here and passes its SHA-256 into the PAKE ({@link Pake}), so the
 * certificate is authenticated by the token instead of by a certificate authority: nothing to copy
 * to workers, and a man in the middle with its own certificate fails the PAKE.
 */
final class TlsChannel {
  private static final String[] PROTOCOLS = {"TLSv1.3"};
  private static final SSLContext ANY_CERTIFICATE = anyCertificate();

  private TlsChannel() {}

  /** Runs the server side of TLS on an accepted connection. */
  static SSLSocket serve(Socket raw, SSLContext context) throws IOException {
    SSLSocket ssl =
        (SSLSocket) context.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
    ssl.setUseClientMode(false);
    ssl.setEnabledProtocols(PROTOCOLS);
    ssl.startHandshake();
    return ssl;
  }

  /** Sets up the client's TLS context ahead of the first join (see {@link HandshakeWarmUp}). */
  static void prepareClient() {
    ANY_CERTIFICATE.getSocketFactory();
  }

  /** Runs the client side of TLS; the caller binds the certificate it saw into the PAKE. */
  static SSLSocket join(Socket raw) throws IOException {
    SSLSocket ssl =
        (SSLSocket)
            ANY_CERTIFICATE
                .getSocketFactory()
                .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
    ssl.setUseClientMode(true);
    ssl.setEnabledProtocols(PROTOCOLS);
    ssl.startHandshake();
    return ssl;
  }

  /** The binding both sides put into the PAKE: the certificate's SHA-256, base64url. */
  static String binding(Certificate certificate) {
    try {
      return BaseEncoding.base64Url()
          .omitPadding()
          .encode(Hashing.sha256().hashBytes(certificate.getEncoded()).asBytes());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate that cannot be encoded", e);
    }
  }

  /** The binding of the certificate the peer presented on {@code ssl}. */
  static String peerBinding(SSLSocket ssl) throws IOException {
    Certificate[] chain = ssl.getSession().getPeerCertificates();
    if (chain.length == 0) {
      throw new HandshakeException(
          HandshakeException.Reason.MASTER_NOT_AUTHENTIC, "the master showed no certificate");
    }
    return binding(chain[0]);
  }

  /** The binding used without TLS ({@code --insecure-plaintext}). */
  static final String PLAINTEXT_BINDING = "plaintext";

  private static SSLContext anyCertificate() {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(null, new TrustManager[] {new AcceptAny()}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no TLS 1.3", e);
    }
  }

  /**
   * Accepts any server certificate: here a certificate is trusted because the PAKE that follows
   * binds it to the token, not because an authority signed it.
   */
  private static final class AcceptAny extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("rmiq workers accept no connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("rmiq workers accept no connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("rmiq workers accept no connections");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
