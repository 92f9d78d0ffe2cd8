package dev.flotilla.schema;


/** A document that cannot be read as YAML: where, what, and how to fix it. */
public final class DocumentException extends Exception {
  private final Location location;
  private final String hint;

  public DocumentException(Location location, String message, String hint) {
    super(message);
    this.location = location;
    this.hint = hint == null ? "" : hint;
  }

  public Location location() {
    return location;
  }

  public String hint() {
    return hint;
  }
}
