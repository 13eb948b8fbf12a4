using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Parley.Storage.Sqlite;

/// <summary>
/// A SQLite VFS over the platform's own that gathers a transaction's WAL frames in memory and hands them to the file in
/// one write when the commit frame is complete. SQLite writes each frame as two <c>pwrite</c>s (its 24-byte header, then
/// the page): a light message's commit was ~19 frames, 38 system calls, and on this kind of virtual machine a system
/// call's entry and exit cost more than the copy (docs/benchmarks.md, "Issue 16: the WAL's frames in one write").
/// Only the WAL file is wrapped: the database file, journals and temporary files are the platform VFS's own objects.
/// </summary>
/// <remarks>
/// What stays as it was: every byte reaches the file, in order, before anything can read it. SQLite makes frames visible
/// (the wal-index header) only after the commit frame is written, so flushing right after the commit frame's page keeps
/// readers, the checkpointer and crash recovery on exactly the bytes they saw before; a read, sync, truncate, size,
/// file control or close of the WAL flushes first, and a write that is not the next append (SQLite rewriting a frame of
/// the open transaction in place, or its checksums) flushes and goes straight through. With <c>synchronous=FULL</c> SQLite
/// syncs the WAL before it publishes, which flushes too. A process that dies with frames still in memory loses only a
/// transaction that had not committed. Only the writer's connections (the writer's, the checkpointer's) open the
/// database with this VFS (a URI <c>vfs=</c> parameter); readers never write the WAL. A transaction that follows a
/// rolled-back one rewrites the WAL where that one's frames lie: those writes are not appends and go straight through
/// until the WAL is past them or starts over (a rollback is rare: a failed batch).
/// </remarks>
internal static unsafe class BufferedWalVfs
{
    /// <summary>The name the VFS is registered under.</summary>
    public const string Name = "parley-buffered-wal";

    private const int SqliteOk = 0;
    private const int SqliteIoErr = 10;
    private const int SqliteOpenWal = 0x00080000;
    private const int SqliteFcntlJournalPointer = 28;
    private const int WalHeaderBytes = 32;
    private const int FrameHeaderBytes = 24;
    // A transaction larger than this (a bulk delete, a long retention sweep) reaches the file in pieces of this size:
    // its frames are not visible before its commit frame either way.
    private const int MaxBufferBytes = 4 << 20;
    private const int InitialBufferBytes = 64 << 10;
    // The unix VFS writes at most this much in one call (os_unix.c masks a write's length with it): larger buffers go
    // to the file in pieces.
    private const int MaxFileWriteBytes = 0x1ffff;

    private static readonly Lock RegistrationLock = new();
    private static SqliteVfs* s_platform;
    private static SqliteIoMethods* s_methods;
    private static int s_realOffset;

    /// <summary>Registers the VFS (once per process) and returns the URI that opens <paramref name="path"/> with it.</summary>
    public static string UriFor(string path)
    {
        EnsureRegistered();
        // A URI filename: '?' and '#' (and '%') in the path must be escaped; the rest is taken as is.
        var escaped = path.Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3f", StringComparison.Ordinal)
            .Replace("#", "%23", StringComparison.Ordinal);
        return "file:" + escaped + "?vfs=" + Name;
    }

    /// <summary>What the WAL file of <paramref name="connection"/> has seen, or null when it was not opened through this VFS.</summary>
    public static WalWriteCounts? CountsOf(SqliteConnection connection)
    {
        var file = WalFileOf(connection);
        return file is null ? null : new WalWriteCounts(file->Writes, file->FileWrites);
    }

    private static WalFile* WalFileOf(SqliteConnection connection)
    {
        SqliteFile* file = null;
        int rc;
        fixed (byte* main = "main\0"u8) rc = sqlite3_file_control(connection.Handle!.DangerousGetHandle(), main, SqliteFcntlJournalPointer, &file);
        if (rc != SqliteOk || file is null || s_methods is null || file->Methods != s_methods) return null;
        return (WalFile*)file;
    }

    private static void EnsureRegistered()
    {
        lock (RegistrationLock)
        {
            if (s_methods is not null) return;
            var platform = sqlite3_vfs_find(null);
            if (platform is null) throw new InvalidOperationException("SQLite has no default VFS to wrap.");
            s_realOffset = (sizeof(WalFile) + 15) & ~15;

            var methods = (SqliteIoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(SqliteIoMethods));
            methods->Version = 3;
            methods->Close = &Close;
            methods->Read = &Read;
            methods->Write = &Write;
            methods->Truncate = &Truncate;
            methods->Sync = &Sync;
            methods->FileSize = &FileSize;
            methods->Lock = &LockFile;
            methods->Unlock = &Unlock;
            methods->CheckReservedLock = &CheckReservedLock;
            methods->FileControl = &FileControl;
            methods->SectorSize = &SectorSize;
            methods->DeviceCharacteristics = &DeviceCharacteristics;
            methods->ShmMap = &ShmMap;
            methods->ShmLock = &ShmLock;
            methods->ShmBarrier = &ShmBarrier;
            methods->ShmUnmap = &ShmUnmap;
            methods->Fetch = &Fetch;
            methods->Unfetch = &Unfetch;

            // A copy of the platform VFS with a larger file object and our xOpen; everything else is the platform's own
            // (its functions read only mxPathname and pAppData from the object they are given, both copied).
            var vfs = (SqliteVfs*)NativeMemory.AllocZeroed((nuint)sizeof(SqliteVfs));
            *vfs = *platform;
            vfs->Next = null;
            vfs->OsFileBytes = s_realOffset + platform->OsFileBytes;
            vfs->Name = (byte*)NativeMemory.AllocZeroed((nuint)Name.Length + 1);
            for (var i = 0; i < Name.Length; i++) vfs->Name[i] = (byte)Name[i];
            vfs->Open = &Open;
            s_platform = platform;
            var rc = sqlite3_vfs_register(vfs, 0);
            if (rc != SqliteOk) throw new InvalidOperationException($"sqlite3_vfs_register failed: {rc}.");
            s_methods = methods;
        }
    }

    [UnmanagedCallersOnly]
    private static int Open(SqliteVfs* vfs, byte* name, SqliteFile* file, int flags, int* outFlags)
    {
        // Not the WAL: the platform's file object sits where SQLite put ours, and SQLite calls it directly.
        if ((flags & SqliteOpenWal) == 0) return s_platform->Open(s_platform, name, file, flags, outFlags);
        var wal = (WalFile*)file;
        *wal = default;
        var real = (SqliteFile*)((byte*)file + s_realOffset);
        var rc = s_platform->Open(s_platform, name, real, flags, outFlags);
        if (real->Methods is null) return rc;  // SQLite will not call xClose on a file whose methods are null
        wal->Real = real;
        long size = 0;
        if (rc == SqliteOk && real->Methods->FileSize(real, &size) == SqliteOk) wal->End = size;
        else wal->End = -1;
        wal->Methods = s_methods;
        return rc;
    }

    private static int Flush(WalFile* wal)
    {
        var length = wal->Length;
        wal->Length = 0;
        for (var done = 0; done < length;)
        {
            var piece = Math.Min(length - done, MaxFileWriteBytes);
            wal->FileWrites++;
            var rc = wal->Real->Methods->Write(wal->Real, wal->Buffer + done, piece, wal->Start + done);
            if (rc != SqliteOk) return rc;
            done += piece;
        }
        return SqliteOk;
    }

    private static bool Append(WalFile* wal, void* data, int amount, long offset)
    {
        var next = wal->Start + wal->Length;
        if (offset != (wal->Length > 0 ? next : wal->End)) return false;
        if (wal->Length + amount > wal->Capacity)
        {
            var wanted = Math.Max(InitialBufferBytes, wal->Capacity * 2);
            while (wanted < wal->Length + amount && wanted < MaxBufferBytes) wanted *= 2;
            if (wal->Length + amount > wanted) return false;
            wal->Buffer = (byte*)NativeMemory.Realloc(wal->Buffer, (nuint)wanted);
            wal->Capacity = wanted;
        }
        if (wal->Length == 0) wal->Start = offset;
        Buffer.MemoryCopy(data, wal->Buffer + wal->Length, wal->Capacity - wal->Length, amount);
        wal->Length += amount;
        return true;
    }

    [UnmanagedCallersOnly]
    private static int Write(SqliteFile* file, void* data, int amount, long offset)
    {
        var wal = (WalFile*)file;
        wal->Writes++;
        // The frame header's bytes 4-7 are the database size after a commit, zero in every other frame.
        var header = amount == FrameHeaderBytes;
        var commitPage = !header && wal->CommitFramePending != 0;
        if (header) wal->CommitFramePending = *(int*)((byte*)data + 4) != 0 ? 1 : 0;
        else wal->CommitFramePending = 0;
        if (offset == 0 && amount == WalHeaderBytes) wal->End = 0;  // the WAL restarts from its beginning

        int rc;
        if (Append(wal, data, amount, offset))
        {
            rc = SqliteOk;
        }
        else
        {
            // Not the next append (an in-place rewrite of the open transaction's frames, or more than the buffer holds):
            // everything before it first, then it, straight through.
            rc = Flush(wal);
            if (rc == SqliteOk)
            {
                wal->FileWrites++;
                rc = wal->Real->Methods->Write(wal->Real, data, amount, offset);
            }
        }
        if (offset + amount > wal->End) wal->End = offset + amount;
        if (rc == SqliteOk && commitPage) rc = Flush(wal);
        if (rc != SqliteOk) wal->Length = 0;  // the transaction fails; its frames will never be published
        return rc;
    }

    [UnmanagedCallersOnly]
    private static int Close(SqliteFile* file)
    {
        var wal = (WalFile*)file;
        var flushed = Flush(wal);
        var rc = wal->Real->Methods->Close(wal->Real);
        NativeMemory.Free(wal->Buffer);
        wal->Buffer = null;
        wal->Capacity = 0;
        return flushed != SqliteOk ? flushed : rc;
    }

    [UnmanagedCallersOnly]
    private static int Read(SqliteFile* file, void* data, int amount, long offset)
    {
        var wal = (WalFile*)file;
        var rc = Flush(wal);
        return rc != SqliteOk ? rc : wal->Real->Methods->Read(wal->Real, data, amount, offset);
    }

    [UnmanagedCallersOnly]
    private static int Truncate(SqliteFile* file, long size)
    {
        var wal = (WalFile*)file;
        var rc = Flush(wal);
        if (rc != SqliteOk) return rc;
        rc = wal->Real->Methods->Truncate(wal->Real, size);
        if (rc == SqliteOk) wal->End = size;
        return rc;
    }

    [UnmanagedCallersOnly]
    private static int Sync(SqliteFile* file, int flags)
    {
        var wal = (WalFile*)file;
        var rc = Flush(wal);
        return rc != SqliteOk ? rc : wal->Real->Methods->Sync(wal->Real, flags);
    }

    [UnmanagedCallersOnly]
    private static int FileSize(SqliteFile* file, long* size)
    {
        var wal = (WalFile*)file;
        var rc = Flush(wal);
        return rc != SqliteOk ? rc : wal->Real->Methods->FileSize(wal->Real, size);
    }

    [UnmanagedCallersOnly]
    private static int FileControl(SqliteFile* file, int op, void* argument)
    {
        var wal = (WalFile*)file;
        var rc = Flush(wal);
        return rc != SqliteOk ? rc : wal->Real->Methods->FileControl(wal->Real, op, argument);
    }

    [UnmanagedCallersOnly]
    private static int LockFile(SqliteFile* file, int level) => Real(file)->Methods->Lock(Real(file), level);

    [UnmanagedCallersOnly]
    private static int Unlock(SqliteFile* file, int level) => Real(file)->Methods->Unlock(Real(file), level);

    [UnmanagedCallersOnly]
    private static int CheckReservedLock(SqliteFile* file, int* result) => Real(file)->Methods->CheckReservedLock(Real(file), result);

    [UnmanagedCallersOnly]
    private static int SectorSize(SqliteFile* file) => Real(file)->Methods->SectorSize(Real(file));

    [UnmanagedCallersOnly]
    private static int DeviceCharacteristics(SqliteFile* file) => Real(file)->Methods->DeviceCharacteristics(Real(file));

    // SQLite maps shared memory and fetches pages through the database file, never the WAL; forwarded for completeness.
    [UnmanagedCallersOnly]
    private static int ShmMap(SqliteFile* file, int page, int pageBytes, int extend, void** mapped) =>
        Real(file)->Methods->Version >= 2 ? Real(file)->Methods->ShmMap(Real(file), page, pageBytes, extend, mapped) : SqliteIoErr;

    [UnmanagedCallersOnly]
    private static int ShmLock(SqliteFile* file, int offset, int count, int flags) =>
        Real(file)->Methods->Version >= 2 ? Real(file)->Methods->ShmLock(Real(file), offset, count, flags) : SqliteIoErr;

    [UnmanagedCallersOnly]
    private static void ShmBarrier(SqliteFile* file)
    {
        if (Real(file)->Methods->Version >= 2) Real(file)->Methods->ShmBarrier(Real(file));
    }

    [UnmanagedCallersOnly]
    private static int ShmUnmap(SqliteFile* file, int delete) =>
        Real(file)->Methods->Version >= 2 ? Real(file)->Methods->ShmUnmap(Real(file), delete) : SqliteOk;

    [UnmanagedCallersOnly]
    private static int Fetch(SqliteFile* file, long offset, int amount, void** page)
    {
        var wal = (WalFile*)file;
        var rc = Flush(wal);
        if (rc != SqliteOk) return rc;
        if (wal->Real->Methods->Version >= 3) return wal->Real->Methods->Fetch(wal->Real, offset, amount, page);
        *page = null;
        return SqliteOk;
    }

    [UnmanagedCallersOnly]
    private static int Unfetch(SqliteFile* file, long offset, void* page) =>
        Real(file)->Methods->Version >= 3 ? Real(file)->Methods->Unfetch(Real(file), offset, page) : SqliteOk;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SqliteFile* Real(SqliteFile* file) => ((WalFile*)file)->Real;

    // The C structures, as sqlite3.h declares them (sqlite3_vfs version 3, sqlite3_io_methods version 3).
    [StructLayout(LayoutKind.Sequential)]
    private struct SqliteFile
    {
        public SqliteIoMethods* Methods;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WalFile
    {
        public SqliteIoMethods* Methods;  // sqlite3_file: must come first
        public SqliteFile* Real;
        public byte* Buffer;
        public long Start;
        public long End;                   // the end of what has been written through this handle (-1: unknown)
        public long Writes;
        public long FileWrites;
        public int Capacity;
        public int Length;
        public int CommitFramePending;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SqliteIoMethods
    {
        public int Version;
        public delegate* unmanaged<SqliteFile*, int> Close;
        public delegate* unmanaged<SqliteFile*, void*, int, long, int> Read;
        public delegate* unmanaged<SqliteFile*, void*, int, long, int> Write;
        public delegate* unmanaged<SqliteFile*, long, int> Truncate;
        public delegate* unmanaged<SqliteFile*, int, int> Sync;
        public delegate* unmanaged<SqliteFile*, long*, int> FileSize;
        public delegate* unmanaged<SqliteFile*, int, int> Lock;
        public delegate* unmanaged<SqliteFile*, int, int> Unlock;
        public delegate* unmanaged<SqliteFile*, int*, int> CheckReservedLock;
        public delegate* unmanaged<SqliteFile*, int, void*, int> FileControl;
        public delegate* unmanaged<SqliteFile*, int> SectorSize;
        public delegate* unmanaged<SqliteFile*, int> DeviceCharacteristics;
        public delegate* unmanaged<SqliteFile*, int, int, int, void**, int> ShmMap;
        public delegate* unmanaged<SqliteFile*, int, int, int, int> ShmLock;
        public delegate* unmanaged<SqliteFile*, void> ShmBarrier;
        public delegate* unmanaged<SqliteFile*, int, int> ShmUnmap;
        public delegate* unmanaged<SqliteFile*, long, int, void**, int> Fetch;
        public delegate* unmanaged<SqliteFile*, long, void*, int> Unfetch;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SqliteVfs
    {
        public int Version;
        public int OsFileBytes;
        public int MaxPathname;
        public SqliteVfs* Next;
        public byte* Name;
        public void* AppData;
        public delegate* unmanaged<SqliteVfs*, byte*, SqliteFile*, int, int*, int> Open;
        // xDelete, xAccess, xFullPathname, xDlOpen, xDlError, xDlSym, xDlClose, xRandomness, xSleep, xCurrentTime,
        // xGetLastError (version 1), xCurrentTimeInt64 (2), xSetSystemCall, xGetSystemCall, xNextSystemCall (3):
        // copied from the platform VFS, never called from here.
        public fixed long Rest[15];
    }

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern SqliteVfs* sqlite3_vfs_find(byte* name);

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_vfs_register(SqliteVfs* vfs, int makeDefault);

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_file_control(nint db, byte* name, int op, void* argument);
}

/// <summary>What a WAL file opened through <see cref="BufferedWalVfs"/> was given and what reached the file.</summary>
/// <param name="Writes">Writes SQLite made (two per frame: its header and its page).</param>
/// <param name="FileWrites">Writes that reached the file.</param>
internal readonly record struct WalWriteCounts(long Writes, long FileWrites);
