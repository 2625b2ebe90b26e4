package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * The one serial form of every rmiq wire record: a type number and the record's fields packed into
 * a byte array. So the only things Java serialization ever reads from a peer are this, byte arrays
 * and strings; the allow-list bounds the array before it is allocated, the {@link Unpacker} bounds
 * every field inside it, and the record's constructor validates the result. No collection is ever
 * deserialized, so no peer can make the master hash anything.
 *
 * @param type which record (see the constants)
 * @param bytes its packed fields
 */
record Packed(int type, byte[] bytes) implements Serializable {
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

  Packed {
    if (bytes == null) {
      throw new IllegalArgumentException("a packed wire record without bytes");
    }
  }

  /** The packed form of a record whose fields {@code write} puts in. */
  static Packed of(int type, java.util.function.Consumer<Packer> write) {
    Packer out = new Packer();
    write.accept(out);
    return new Packed(type, out.toByteArray());
  }

  /** Unpacks the record, validating it in its constructor. */
  private Object readResolve() throws ObjectStreamException {
    Unpacker in = new Unpacker(bytes);
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
            case STATUS_REPORT -> StatusReport.read(in);
            case JOB_REQUEST -> JobRequest.read(in);
            case JOB_RECEIPT -> JobReceipt.read(in);
            case JOB_POLL -> JobPoll.read(in);
            case JOB_EVENTS -> JobEvents.read(in);
            default -> throw new InvalidObjectException("an unknown wire record type " + type);
          };
      in.end();
      return record;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidObjectException("a wire record that does not validate: " + e.getMessage());
    }
  }
}
