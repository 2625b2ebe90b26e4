package org.rmiq.cli;

import org.rmiq.util.Sizes;

/** Reads size flags ({@code 100MB}, {@code 512KB}, {@code 2GB}) for picocli. */
public final class SizeConverter implements picocli.CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    try {
      return Sizes.parse(value);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
