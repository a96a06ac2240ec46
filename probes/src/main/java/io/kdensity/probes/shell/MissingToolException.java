package io.kdensity.probes.shell;

/** A program is not installed; the message names the Debian package that provides it. */
public class MissingToolException extends ShellException {
  private static final long serialVersionUID = 1L;
  private final String program;
  private final String debianPackage;

  public MissingToolException(String program, String debianPackage) {
    super(
        "`"
            + program
            + "` is not installed: run `apt-get install -y "
            + debianPackage
            + "` (Debian package "
            + debianPackage
            + ")");
    this.program = program;
    this.debianPackage = debianPackage;
  }

  public String program() {
    return program;
  }

  public String debianPackage() {
    return debianPackage;
  }
}
