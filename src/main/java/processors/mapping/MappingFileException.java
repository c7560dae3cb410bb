package processors.mapping;

/** A mapping file that does not compile; the message starts with {@code file:line:column:} so editors can jump to it. */
public class MappingFileException extends MappingException {

    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    public MappingFileException(String file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    /** 1-based line. */
    public int line() {
        return line;
    }

    /** What is wrong, without the location prefix. */
    public String problem() {
        return problem;
    }

    /** 1-based column. */
    public int column() {
        return column;
    }
}
