package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * The one serial form of every rmiq wire record: a type number and the record's fields packed into
 * chunks of at most {@value #CHUNK} bytes. So the only things Java serialization ever reads from a
 * peer are this, byte arrays and strings; the allow-list bounds each chunk (and how many there are)
 * before it is allocated, so a peer that declares a large record and then goes silent pins one
 * chunk, not the record: memory is spent as bytes arrive. The {@link Unpacker} bounds every field
 * inside, and the record's constructor validates the result. No collection is ever deserialized, so
 * no peer can make the master hash anything.
 *
 * <p>A class, not a record: Java serialization reads a record through method handles it builds on
 * first use, ~10 ms of each JVM's first call (a worker's join, a master's first worker); a class's
 * fields are read directly, and {@link #readObject} checks them as the record's constructor did.
 */
final class Packed implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The most bytes one chunk holds. */
  static final int CHUNK = 64 << 10;

  static final int LINK_REQUEST = 1;
  static final int LINK_REPLY = 2;
  static final int SESSION_REQUEST = 3;
  static final int SESSION_REPLY = 4;
  static final int EXCHANGE_REQUEST = 5;
  static final int EXCHANGE_REPLY = 6;
  static final int LEAVE = 7;
  static final int FILE_CHUNK = 8;
  static final int UPLOAD_REPLY = 9;
  static final int CODE_REQUEST = 10;
  static final int CODE_CHUNK = 11;
  static final int STATUS_REPORT = 12;
  static final int JOB_REQUEST = 13;
  static final int JOB_RECEIPT = 14;
  static final int JOB_POLL = 15;
  static final int JOB_EVENTS = 16;
  static final int COMMAND_REPLY = 17;

  /** Which record (see the constants). */
  private final int type;

  /** Its packed fields, in order. */
  private final byte[][] chunks;

  Packed(int type, byte[][] chunks) {
    check(chunks);
    this.type = type;
    this.chunks = chunks;
  }

  private static void check(byte[][] chunks) {
    if (chunks == null) {
      throw new IllegalArgumentException("a packed wire record without bytes");
    }
    for (byte[] chunk : chunks) {
      if (chunk == null || chunk.length > CHUNK) {
        throw new IllegalArgumentException("a packed wire record with a chunk over " + CHUNK);
      }
    }
  }

  /** The record's type number. */
  int type() {
    return type;
  }

  /** Its chunks (the array itself: only tests look). */
  byte[][] chunks() {
    return chunks;
  }

  /** Checks what arrived as the constructor checks what is made, before it is unpacked. */
  private void readObject(java.io.ObjectInputStream in)
      throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    try {
      check(chunks);
    } catch (IllegalArgumentException e) {
      throw new InvalidObjectException(e.getMessage());
    }
  }

  /** A record from its packed bytes in one piece (split into chunks here). */
  static Packed of(int type, byte[] bytes) {
    int count = Math.max(1, (bytes.length + CHUNK - 1) / CHUNK);
    byte[][] chunks = new byte[count][];
    for (int i = 0; i < count; i++) {
      chunks[i] =
          java.util.Arrays.copyOfRange(bytes, i * CHUNK, Math.min(bytes.length, (i + 1) * CHUNK));
    }
    return new Packed(type, chunks);
  }

  /** The packed form of a record whose fields {@code write} puts in. */
  static Packed of(int type, java.util.function.Consumer<Packer> write) {
    Packer out = new Packer();
    write.accept(out);
    return of(type, out.toByteArray());
  }

  /** The packed bytes in one piece (they have all arrived by now). */
  byte[] bytes() {
    if (chunks.length == 1) {
      return chunks[0];
    }
    int length = 0;
    for (byte[] chunk : chunks) {
      length += chunk.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, all, at, chunk.length);
      at += chunk.length;
    }
    return all;
  }

  /** Unpacks the record, validating it in its constructor. */
  private Object readResolve() throws ObjectStreamException {
    Unpacker in = new Unpacker(bytes());
    try {
      Object record =
          switch (type) {
            case LINK_REQUEST -> LinkRequest.read(in);
            case LINK_REPLY -> LinkReply.read(in);
            case SESSION_REQUEST -> SessionRequest.read(in);
            case SESSION_REPLY -> SessionReply.read(in);
            case EXCHANGE_REQUEST -> ExchangeRequest.read(in);
            case EXCHANGE_REPLY -> ExchangeReply.read(in);
            case LEAVE -> Leave.read(in);
            case FILE_CHUNK -> FileChunk.read(in);
            case UPLOAD_REPLY -> UploadReply.read(in);
            case CODE_REQUEST -> CodeRequest.read(in);
            case CODE_CHUNK -> CodeChunk.read(in);
            case STATUS_REPORT -> StatusCodec.read(in);
            case JOB_REQUEST -> JobRequest.read(in);
            case JOB_RECEIPT -> JobReceipt.read(in);
            case JOB_POLL -> JobPoll.read(in);
            case JOB_EVENTS -> JobEvents.read(in);
            case COMMAND_REPLY -> CommandReply.read(in);
            default -> throw new InvalidObjectException("an unknown wire record type " + type);
          };
      in.end();
      return record;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidObjectException("a wire record that does not validate: " + e.getMessage());
    }
  }
}
