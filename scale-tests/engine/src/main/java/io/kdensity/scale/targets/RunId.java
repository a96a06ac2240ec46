package io.kdensity.scale.targets;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * A run's id: six lower-case letters or digits, in the name of everything the run creates ({@code
 * kd-<id>-…} on the local node, {@code kdensity-<id>} on a cluster). Both targets draw it here.
 *
 * @param value the id
 */
public record RunId(String value) {
  private static final Pattern FORM = Pattern.compile("[0-9a-z]{6}");
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  public RunId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("run id must be 6 lower-case letters or digits: " + value);
    }
  }

  /** A fresh id from a secure random source. */
  public static RunId random() {
    SecureRandom r = new SecureRandom();
    StringBuilder sb = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return new RunId(sb.toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
