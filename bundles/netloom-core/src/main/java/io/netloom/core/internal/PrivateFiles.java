package io.netloom.core.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only the user running Netloom may read: credentials, the model store (every tenant's data and the audit
 * log) and the directory holding them. Files are created 0600 and directories 0700 from the start, so that there is
 * no moment in which another local user could open them; files found with wider modes are narrowed.
 */
public final class PrivateFiles {

    /** Owner read and write: 0600. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** Owner read, write and search: 0700. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /**
     * Creates the directory (and missing parents) 0700 unless it exists, then narrows it to 0700.
     */
    public static void directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, attribute(DIRECTORY));
        }
        narrow(dir, DIRECTORY);
    }

    /**
     * Creates the file empty with mode 0600 unless it exists, then narrows it to 0600.
     */
    public static void file(Path file) throws IOException {
        try {
            Files.createFile(file, attribute(FILE));
        } catch (FileAlreadyExistsException e) {
            narrow(file, FILE);
        }
    }

    /**
     * Narrows an existing file to 0600; nothing happens when it does not exist.
     */
    public static void narrowIfExists(Path file) throws IOException {
        if (Files.exists(file)) {
            narrow(file, FILE);
        }
    }

    private static void narrow(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (isPosix(path)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static FileAttribute<?>[] attribute(Set<PosixFilePermission> mode) {
        return isPosix(Path.of(".")) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
