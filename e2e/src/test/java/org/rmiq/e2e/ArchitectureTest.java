package org.rmiq.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules the build checks: the commands use rmiq's public API only (no {@code internal}
 * type), no public signature of the API names an internal type, and the engines name no command's
 * flag or script (they name settings by {@code Setting}; the commands say how to change them).
 */
class ArchitectureTest {
  private static JavaClasses rmiq;

  @BeforeAll
  static void importClasses() {
    rmiq =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.rmiq");
  }

  @Test
  void theCommandsUseNoInternalType() {
    noClasses()
        .that()
        .resideInAPackage("org.rmiq.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.rmiq.internal..")
        .because("the commands are built on the public API: MasterClient, Master, Worker")
        .check(rmiq);
  }

  @Test
  void noPublicSignatureOfTheApiNamesAnInternalType() {
    codeUnits()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackages("org.rmiq.internal..", "org.rmiq.cli..", "org.rmiq.bench..")
        .should(nameNoInternalType())
        .check(rmiq);
  }

  private static ArchCondition<JavaCodeUnit> nameNoInternalType() {
    return new ArchCondition<>("name no org.rmiq.internal type in their signature") {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        if (unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
          return;
        }
        List<JavaClass> named = new ArrayList<>(unit.getRawParameterTypes());
        named.add(unit.getRawReturnType());
        for (JavaClass type : named) {
          if (type.getPackageName().startsWith("org.rmiq.internal")) {
            events.add(
                SimpleConditionEvent.violated(
                    unit, unit.getFullName() + " names " + type.getName()));
          }
        }
      }
    };
  }

  /** A string literal that names a command's flag or script. */
  private static final Pattern CLI_WORDS =
      Pattern.compile(
          "\"[^\"\\n]*(--[a-z][a-z-]+|scripts/|\\.sh\\b|run-master|run-worker|rmiq-submit"
              + "|rmiq-status|RMIQ_JAVA_OPTS)[^\"\\n]*\"");

  @Test
  void theEnginesNameNoFlagOrScript() throws IOException {
    Path root = Path.of(System.getProperty("rmiq.root", ".."));
    List<String> found = new ArrayList<>();
    for (String engine : List.of("common/api", "common/wire", "master/engine", "worker/engine")) {
      try (Stream<Path> files = Files.walk(root.resolve(engine).resolve("src/main/java"))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          List<String> lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
              continue; // documentation may say how the commands do it
            }
            Matcher m = CLI_WORDS.matcher(line);
            if (m.find()) {
              found.add(root.relativize(file) + ":" + (i + 1) + ": " + m.group());
            }
          }
        }
      }
    }
    assertEquals(List.of(), found, "engine strings that name a command's flag or script");
  }

  /** A newcomer reads a class in one sitting: this many lines at most. */
  private static final int MAX_LINES = 500;

  @Test
  void noClassGrowsPastFiveHundredLines() throws IOException {
    Path root = Path.of(System.getProperty("rmiq.root", ".."));
    List<String> tooLong = new ArrayList<>();
    for (String module :
        List.of(
            "common/api",
            "common/wire",
            "common/cli",
            "master/engine",
            "master/cli",
            "worker/engine",
            "worker/cli")) {
      try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String name = root.relativize(file).toString().replace('\\', '/');
          int lines = Files.readAllLines(file).size();
          if (lines > MAX_LINES) {
            tooLong.add(name + ": " + lines + " lines (at most " + MAX_LINES + ")");
          }
        }
      }
    }
    assertEquals(List.of(), tooLong, "split a class before it passes " + MAX_LINES + " lines");
  }
}
