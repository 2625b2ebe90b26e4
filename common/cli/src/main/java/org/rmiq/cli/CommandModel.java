package org.rmiq.cli;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli command models built in code, for the commands whose start a class waits for (the worker,
 * the master, the submitter and the status command). Read from annotations, the same model cost
 * every start the JDK's annotation parsing and a generated proxy class per annotation type: ~20 ms
 * of a worker's join (BENCHMARKS.md, tenth round). Options are listed in the help in the order they
 * are added; {@link Commands#of} adds {@code -h} and {@code -V} last.
 *
 * <p>An option's value is written into its command's field through {@code field}; picocli does not
 * reset it before parsing (no initial value), so a field keeps its own initialiser as its default
 * unless the option has a {@code defaultValue}.
 */
public final class CommandModel {
  private CommandModel() {}

  /**
   * The model of {@code command} (a {@code Callable} or {@code Runnable}), named {@code name},
   * whose help starts with {@code description} and ends with {@code footer}, as wide as the
   * terminal.
   */
  public static CommandSpec command(
      Object command, String name, List<String> description, List<String> footer) {
    CommandSpec spec =
        CommandSpec.wrapWithoutInspection(command)
            .name(name)
            .versionProvider(new VersionProvider());
    spec.usageMessage()
        .sortOptions(false)
        .autoWidth(true)
        .description(description.toArray(String[]::new))
        .footer(footer.toArray(String[]::new));
    return spec;
  }

  /** An option taking a value of {@code type}, written into {@code field}. */
  public static <T> OptionSpec.Builder option(
      Class<T> type, Consumer<? super T> field, String... names) {
    return OptionSpec.builder(names).type(type).setter(into(field)).hasInitialValue(false);
  }

  /** An option without a value: {@code field} is set to true when it is given. */
  public static OptionSpec.Builder flag(Consumer<Boolean> field, String... names) {
    return option(boolean.class, field, names);
  }

  /** A positional parameter of {@code type}, written into {@code field}. */
  public static <T> PositionalParamSpec.Builder parameter(
      Class<T> type, Consumer<? super T> field) {
    return PositionalParamSpec.builder().type(type).setter(into(field)).hasInitialValue(false);
  }

  /**
   * Positional parameters collected into a list: picocli makes the list, {@code set} keeps it, and
   * picocli reads it back through {@code get} to add to it.
   */
  public static PositionalParamSpec.Builder words(
      Supplier<List<String>> get, Consumer<List<String>> set) {
    ListField field = new ListField(get, set);
    return PositionalParamSpec.builder()
        .type(List.class)
        .auxiliaryTypes(String.class)
        .getter(field)
        .setter(field)
        .hasInitialValue(false);
  }

  private static <T> ISetter into(Consumer<? super T> field) {
    return new ISetter() {
      @Override
      @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // picocli's signature
      public <V> V set(V value) {
        field.accept((T) value);
        return null;
      }
    };
  }

  /** A command's list of words, read and written. */
  private static final class ListField implements IGetter, ISetter {
    private final Supplier<List<String>> get;
    private final Consumer<List<String>> set;

    ListField(Supplier<List<String>> get, Consumer<List<String>> set) {
      this.get = get;
      this.set = set;
    }

    @Override
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // picocli's signature
    public <V> V get() {
      return (V) get.get();
    }

    @Override
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // picocli's signature
    public <V> V set(V value) {
      set.accept((List<String>) value);
      return null;
    }
  }
}
