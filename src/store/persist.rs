//! `--state-file`: the whole state written atomically (temp file, fsync, rename, fsync of the
//! directory) before a mutation's response is sent. Writes happen under the state lock, so the
//! file always holds a prefix of the acknowledged mutations, in order.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Persister {
    path: PathBuf,
}

impl Persister {
    pub fn new(path: PathBuf) -> Self {
        Persister { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        let mut tmp_name = self.path.file_name().unwrap_or_default().to_owned();
        tmp_name.push(".tmp");
        let tmp = self.path.with_file_name(tmp_name);
        {
            let mut file = File::create(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
        }
        fs::rename(&tmp, &self.path)?;
        let dir = match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        // Without syncing the directory the rename itself may not survive a crash.
        File::open(dir)?.sync_all()
    }
}
