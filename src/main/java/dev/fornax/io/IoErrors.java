package dev.fornax.io;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * An {@link IOException} as words a user understands. The NIO exceptions carry only the path in
 * {@code getMessage()} ("cannot write X: X.tmp" says nothing); their class is the cause.
 */
public final class IoErrors {
    private IoErrors() {}

    /** "permission denied: /a/b", "no space left on device: /a/b", "not valid UTF-8", ... */
    public static String describe(IOException e) {
        String what;
        if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (e instanceof FileAlreadyExistsException) {
            what = "already exists";
        } else if (e instanceof DirectoryNotEmptyException) {
            what = "directory not empty";
        } else if (e instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (e instanceof ClosedByInterruptException) {
            return "interrupted";
        } else if (e instanceof CharacterCodingException) {
            return "not valid UTF-8";
        } else if (e instanceof FileSystemException fse) {
            what = fse.getReason() == null ? "file system error" : lowerFirst(fse.getReason());
        } else {
            String m = e.getMessage();
            return m == null || m.isBlank() ? e.getClass().getSimpleName() : lowerFirst(m);
        }
        FileSystemException fse = (FileSystemException) e;
        StringBuilder s = new StringBuilder(what);
        if (fse.getFile() != null) {
            s.append(": ").append(fse.getFile());
        }
        if (fse.getOtherFile() != null) {
            s.append(" -> ").append(fse.getOtherFile());
        }
        return s.toString();
    }

    private static String lowerFirst(String s) {
        // "No space left on device" reads better inside a sentence; keep acronyms ("UTF-8") as they are
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }
}
