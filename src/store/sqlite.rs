//! `--state-file`: an SQLite database (DESIGN §6) in WAL mode with `synchronous=FULL`, so a
//! commit is on disk when it returns. Three tables (ARCHITECTURE.md, "Durability"):
//!
//! - `meta(key, value)`: `format` (the layout version this file has, `1`) and `writer` (the
//!   mock version that last opened it for writing);
//! - `entities(org, kind, key, pos, doc)`: one row per entity (`store/rows.rs`), `doc` its
//!   fixture JSON, `pos` the order rows were first written in (loading keeps it);
//!
//! plus `PRAGMA application_id` set to [`APPLICATION_ID`], so the file says whose it is. Opening
//! refuses, before any change to the file, what is not an SQLite database, an SQLite database of
//! another program, and a format this version does not know; then it proves the file writable
//! with a small commit, so a read-only file or directory fails at start, not at the first write.

use std::fs::OpenOptions;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior, params};

use crate::clock::Timestamp;
use crate::json_doc::FixtureError;

use super::fixture::StateDoc;
use super::rows::{Assembler, Op};
use super::world::World;

/// `ZSM1` in ASCII: the mock's mark in the database header.
pub const APPLICATION_ID: i32 = 0x5A53_4D31;
/// The table layout this version reads and writes.
pub const FORMAT: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE entities (
    org  TEXT NOT NULL,
    kind TEXT NOT NULL,
    key  TEXT NOT NULL,
    pos  INTEGER NOT NULL,
    doc  TEXT NOT NULL,
    PRIMARY KEY (org, kind, key)
) WITHOUT ROWID;
";

/// Why the file cannot be the state file.
#[derive(Debug)]
pub enum OpenError {
    /// It cannot be created, opened for writing, or read as this mock's state.
    Unusable(String),
    /// Its rows do not make a valid state document.
    Invalid(FixtureError),
}

/// The open state file; only the committer thread uses it once the mock runs.
#[derive(Debug)]
pub struct StateFile {
    conn: Connection,
    path: PathBuf,
    /// The `pos` of the next row written.
    next_pos: i64,
}

fn unusable<T>(cause: impl Into<String>) -> Result<T, OpenError> {
    Err(OpenError::Unusable(cause.into()))
}

impl StateFile {
    /// Opens the file, creating it when absent. `Ok((file, None))`: a new (or empty) database,
    /// to be filled with the startup state by [`StateFile::initialize`]; `Some(doc)`: the
    /// state it holds.
    pub fn open(path: &Path) -> Result<(StateFile, Option<StateDoc>), OpenError> {
        let existed = match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => return unusable("it is a directory"),
            Ok(_) => true,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
            Err(err) => return unusable(format!("cannot read it: {err}")),
        };
        if !existed {
            let dir = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            match std::fs::metadata(dir) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => return unusable(format!("{} is not a directory", dir.display())),
                Err(_) => {
                    return unusable(format!("the directory {} does not exist", dir.display()));
                }
            }
            // Created here rather than by SQLite, whose message would only say "unable to open
            // database file".
            if let Err(err) = OpenOptions::new().write(true).create_new(true).open(path) {
                return unusable(format!("cannot create it: {err}"));
            }
        }
        let opened = Self::open_created(path);
        if opened.is_err() && !existed {
            let _ = std::fs::remove_file(path);
        }
        opened
    }

    fn open_created(path: &Path) -> Result<(StateFile, Option<StateDoc>), OpenError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .or_else(|err| unusable(format!("cannot open it: {err}")))?;
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
            return unusable("it is read-only (it must be writable by the mock's user)");
        }
        let application_id: i32 =
            match conn.pragma_query_value(None, "application_id", |r| r.get(0)) {
                Ok(id) => id,
                Err(err) if err.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
                    return unusable(not_a_database(path));
                }
                Err(err) => return unusable(cannot_read(path, &err)),
            };
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .or_else(|err| unusable(cannot_read(path, &err)))?;
        let fresh = match (application_id, tables) {
            (0, 0) => true,
            (APPLICATION_ID, _) => false,
            (0, _) => {
                return unusable(
                    "it is an SQLite database of another program (no zoho-sharing-mock \
                     application id); give the mock a file of its own",
                );
            }
            (other, _) => {
                return unusable(format!(
                    "it is an SQLite database of another program (application id \
                     {other:#010x}, not zoho-sharing-mock's {APPLICATION_ID:#010x})"
                ));
            }
        };
        if !fresh {
            let format: Option<String> = conn
                .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
                    r.get(0)
                })
                .ok();
            if format.as_deref() != Some(&FORMAT.to_string()) {
                return unusable(format!(
                    "its state format is {}, and this version of zoho-sharing-mock reads format \
                     {FORMAT}",
                    format.as_deref().unwrap_or("missing")
                ));
            }
        }
        let mut file = StateFile {
            conn,
            path: path.to_owned(),
            next_pos: 0,
        };
        file.configure()?;
        if fresh {
            return Ok((file, None));
        }
        file.claim()?;
        let doc = file.read_doc().map_err(|err| match err {
            ReadError::Sql(err) => OpenError::Unusable(format!("cannot read it: {err}")),
            ReadError::Invalid(err) => OpenError::Invalid(err),
        })?;
        Ok((file, Some(doc)))
    }

    fn configure(&self) -> Result<(), OpenError> {
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .or_else(|err| unusable(cannot_write(&self.path, &err)))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return unusable(format!(
                "SQLite could not put it in WAL mode (journal mode {mode:?})"
            ));
        }
        let configured = self.conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA mmap_size = 1073741824;",
        );
        configured.or_else(|err| unusable(format!("cannot configure it: {err}")))
    }

    /// Makes a new file this mock's, holding `ops` (the startup state): tables, marks and rows
    /// in one transaction, so a file killed while it is written is still new at the next start.
    pub fn initialize(&mut self, ops: &[Op]) -> Result<(), String> {
        let created = (|| -> rusqlite::Result<()> {
            let tx = self.conn.transaction()?;
            tx.execute_batch(SCHEMA)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('format', ?1), ('writer', ?2)",
                params![FORMAT.to_string(), writer()],
            )?;
            Self::apply(&tx, ops, &mut self.next_pos)?;
            tx.commit()
        })();
        created.map_err(|err| cannot_write(&self.path, &err))
    }

    /// A small commit at start: a file or directory that cannot be written fails here.
    fn claim(&mut self) -> Result<(), OpenError> {
        let claimed = self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('writer', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![writer()],
        );
        claimed
            .map(|_| ())
            .or_else(|err| unusable(cannot_write(&self.path, &err)))
    }

    fn read_doc(&mut self) -> Result<StateDoc, ReadError> {
        let mut assembler = Assembler::default();
        let mut max_pos: i64 = 0;
        let mut failure = None;
        {
            let mut statement = self
                .conn
                .prepare("SELECT org, kind, key, pos, doc FROM entities")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let (org, kind, key, doc) =
                    (text(row, 0)?, text(row, 1)?, text(row, 2)?, text(row, 4)?);
                let pos: i64 = row.get(3)?;
                max_pos = max_pos.max(pos);
                if let Err(err) = assembler.add(org, kind, key, pos, doc) {
                    failure = Some(err);
                    break;
                }
            }
        }
        if let Some(err) = failure {
            let index = self.org_index(&err.org)?;
            return Err(ReadError::Invalid(err.located(index)));
        }
        self.next_pos = max_pos + 1;
        assembler.finish().map_err(ReadError::Invalid)
    }

    /// Where an org's own row puts it among the orgs, for messages.
    fn org_index(&self, org: &str) -> rusqlite::Result<Option<usize>> {
        let mut statement = self
            .conn
            .prepare("SELECT org FROM entities WHERE kind = 'org' ORDER BY pos")?;
        let orgs = statement.query_map([], |r| r.get::<_, String>(0))?;
        let mut index = None;
        for (i, name) in orgs.enumerate() {
            if name? == org {
                index = Some(i);
            }
        }
        Ok(index)
    }

    /// The state the file holds, loaded and checked like a fixture (after a failed commit).
    pub fn load_world(&mut self, now: Timestamp) -> Result<World, String> {
        let doc = self.read_doc().map_err(|err| match err {
            ReadError::Sql(err) => err.to_string(),
            ReadError::Invalid(err) => err.to_string(),
        })?;
        World::from_doc(doc, now).map_err(|err| err.to_string())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Applies the operations in one transaction and commits it; on `Err` nothing of them is
    /// in the file. `fail` stands for a disk that refuses the commit (a test hook).
    pub fn commit<'a>(
        &mut self,
        ops: impl IntoIterator<Item = &'a Op>,
        fail: bool,
    ) -> Result<(), String> {
        let mut next_pos = self.next_pos;
        let applied = (|| -> rusqlite::Result<bool> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            Self::apply(&tx, ops, &mut next_pos)?;
            if fail {
                // Dropping the transaction rolls it back.
                return Ok(false);
            }
            tx.commit().map(|()| true)
        })();
        match applied {
            Ok(true) => {
                self.next_pos = next_pos;
                Ok(())
            }
            Ok(false) => Err(
                "disk I/O error (the commit was refused by the fail_commits test hook)".to_owned(),
            ),
            Err(err) => Err(err.to_string()),
        }
    }

    fn apply<'a>(
        tx: &rusqlite::Transaction<'_>,
        ops: impl IntoIterator<Item = &'a Op>,
        next_pos: &mut i64,
    ) -> rusqlite::Result<()> {
        {
            for op in ops {
                match op {
                    Op::ClearAll => {
                        tx.prepare_cached("DELETE FROM entities")?.execute([])?;
                    }
                    Op::ClearOrg(org) => {
                        tx.prepare_cached("DELETE FROM entities WHERE org = ?1")?
                            .execute(params![org.as_ref()])?;
                    }
                    Op::Put {
                        org,
                        kind,
                        key,
                        doc,
                    } => {
                        tx.prepare_cached(
                            "INSERT INTO entities (org, kind, key, pos, doc)
                             VALUES (?1, ?2, ?3, ?4, ?5)
                             ON CONFLICT (org, kind, key) DO UPDATE SET doc = excluded.doc",
                        )?
                        .execute(params![
                            org.as_ref(),
                            kind,
                            key,
                            *next_pos,
                            doc
                        ])?;
                        *next_pos += 1;
                    }
                    Op::Delete { org, kind, key } => {
                        tx.prepare_cached(
                            "DELETE FROM entities WHERE org = ?1 AND kind = ?2 AND key = ?3",
                        )?
                        .execute(params![org.as_ref(), kind, key])?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// A text column of a row.
fn text<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(index)?.as_str().map_err(|err| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(err))
    })
}

enum ReadError {
    Sql(rusqlite::Error),
    Invalid(FixtureError),
}

impl From<rusqlite::Error> for ReadError {
    fn from(err: rusqlite::Error) -> Self {
        ReadError::Sql(err)
    }
}

fn writer() -> String {
    format!("zoho-sharing-mock {}", env!("CARGO_PKG_VERSION"))
}

/// The cause of a failed first read: a WAL database in a directory the mock cannot write
/// cannot even be read (SQLite needs its `-shm` file).
fn cannot_read(path: &Path, err: &rusqlite::Error) -> String {
    match err.sqlite_error_code() {
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
            cannot_write(path, err)
        }
        _ => format!("cannot read it: {err}"),
    }
}

/// The cause of a failed first write, with the likely reason when SQLite's own is terse.
fn cannot_write(path: &Path, err: &rusqlite::Error) -> String {
    let hint = match err.sqlite_error_code() {
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
            let dir = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            format!(
                " (SQLite keeps a write-ahead log beside the file: the directory {} must be \
                 writable by the mock's user)",
                dir.display()
            )
        }
        _ => String::new(),
    };
    format!("cannot write it: {err}{hint}")
}

/// "not an SQLite database", saying so when it looks like the JSON state file of older versions.
fn not_a_database(path: &Path) -> String {
    let mut start = [0u8; 64];
    let read = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut start))
        .unwrap_or(0);
    let json = start[..read]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    if json {
        "it is not an SQLite database (it looks like JSON: state files are SQLite databases; to \
         start from a JSON state document, pass it as --fixtures FILE together with a new \
         --state-file)"
            .to_owned()
    } else {
        "it is not an SQLite database".to_owned()
    }
}
