package io.kdensity.probes.parse;

/**
 * Output of a command or the content of a file did not have the expected format. The message names
 * the source (command line or file) and the offending line, so a user can report the kernel or
 * iproute2 version that prints it.
 */
public class ParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final int lineNumber;
  private final String line;

  public ParseException(String source, int lineNumber, String line, String problem) {
    super(
        "cannot parse "
            + source
            + (lineNumber > 0 ? " line " + lineNumber : "")
            + ": "
            + problem
            + (line == null || line.isEmpty() ? "" : ": '" + abbreviate(line) + "'"));
    this.source = source;
    this.lineNumber = lineNumber;
    this.line = line;
  }

  public ParseException(String source, String problem, Throwable cause) {
    super("cannot parse " + source + ": " + problem, cause);
    this.source = source;
    this.lineNumber = 0;
    this.line = "";
  }

  public String source() {
    return source;
  }

  /** 1-based line number of the offending line, or 0 if not line-oriented. */
  public int lineNumber() {
    return lineNumber;
  }

  public String line() {
    return line;
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 157) + "...";
  }
}
