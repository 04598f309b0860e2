//! Where a command finds the dossiers (`--data`, `--database`) and the
//! dossier it keeps its files in (`--dossier`): opened before any work, the
//! files noted as the command writes them and added in one transaction at
//! its end; a dossier's offers written out to a private folder for `check`.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::dossier::{self, Incoming, Role, Store};

/// Where the dossiers are kept.
#[derive(Debug, clap::Args)]
pub struct Data {
    /// The data folder (default: $BOUSSOLE_DATA, else the platform's folder for
    /// application data, e.g. ~/.local/share/boussole).
    #[arg(long, value_name = "DIR", global = true)]
    pub data: Option<PathBuf>,
    /// A PostgreSQL server instead of the data folder's SQLite file, e.g.
    /// postgres://boussole@db.example/boussole (default: $BOUSSOLE_DATABASE).
    #[arg(long, value_name = "URL", global = true, conflicts_with = "data")]
    pub database: Option<String>,
}

impl Data {
    /// The database: the PostgreSQL server given, else the data folder's.
    pub fn open(&self) -> Result<Store, Error> {
        match database(self.database.as_deref(), self.data.is_some()) {
            Some(url) => Store::connect(&url),
            None => Store::open(&dossier::data_dir(self.data.as_deref())?),
        }
    }
}

/// The PostgreSQL server named by `--database`, else by
/// `$BOUSSOLE_DATABASE` when no data folder was given.
pub fn database(given: Option<&str>, data_given: bool) -> Option<String> {
    given.map(str::to_string).or_else(|| {
        (!data_given)
            .then(|| std::env::var("BOUSSOLE_DATABASE").ok())
            .flatten()
            .filter(|v| !v.trim().is_empty())
    })
}

/// `--dossier NAME` and `--data DIR`, shared by the commands that write a
/// consultation's files (each kept in the dossier too, under its role) or
/// read them (`check --dossier NAME` with no file given).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Target {
    /// Keep each file written in this dossier too, under its role (`boussole dossier new NAME`
    /// creates it).
    #[arg(long, value_name = "NAME")]
    pub dossier: Option<String>,
    /// The dossiers' data folder (default: $BOUSSOLE_DATA, else the platform's folder for
    /// application data).
    #[arg(long, value_name = "DIR", requires = "dossier")]
    pub data: Option<PathBuf>,
    /// The dossiers' PostgreSQL server instead of a data folder (default: $BOUSSOLE_DATABASE).
    #[arg(
        long,
        value_name = "URL",
        requires = "dossier",
        conflicts_with = "data"
    )]
    pub database: Option<String>,
}

impl Target {
    /// The dossier named by `--dossier`, opened for `command` (`boussole
    /// check`, say), or nothing without `--dossier`. A dossier that does not
    /// exist is an error naming it, given before any work: its data folder
    /// is not even created.
    pub fn open(&self, command: &str) -> Result<Keeper, Error> {
        let Some(name) = &self.dossier else {
            return Ok(Keeper(None));
        };
        dossier::check_name(name).map_err(Error::Usage)?;
        let missing = |place: &str| {
            Error::Usage(format!(
                "{place}: no dossier named «{name}»: `boussole dossier new {name}` creates it"
            ))
        };
        let store = match database(self.database.as_deref(), self.data.is_some()) {
            Some(url) => Store::connect(&url)?,
            None => {
                let dir = dossier::data_dir(self.data.as_deref())?;
                if !dir.join(dossier::DB_FILE).is_file() {
                    return Err(missing(&dir.display().to_string()));
                }
                Store::open(&dir)?
            }
        };
        if !store.exists(name)? {
            return Err(missing(&store.path().display().to_string()));
        }
        Ok(Keeper(Some(Kept {
            store,
            name: name.clone(),
            command: command.to_string(),
            files: Vec::new(),
        })))
    }
}

/// The dossier a command keeps the files it writes in (or none).
pub struct Keeper(Option<Kept>);

struct Kept {
    store: Store,
    name: String,
    command: String,
    files: Vec<(Role, PathBuf)>,
}

impl Keeper {
    /// Whether a dossier was named.
    pub fn is_some(&self) -> bool {
        self.0.is_some()
    }

    /// Whether the dossier holds a file of `role` named `name`.
    pub fn holds(&self, role: Role, name: &str) -> Result<bool, Error> {
        let Some(k) = &self.0 else {
            return Ok(false);
        };
        let d = k.store.dossier(&k.name)?;
        Ok(d.files.iter().any(|f| f.role == role && f.name == name))
    }

    /// The dossier's name and every decision kept in it (oldest first);
    /// nothing without a dossier.
    pub fn decisions(&self) -> Result<Option<(&str, Vec<dossier::Decided>)>, Error> {
        let Some(k) = &self.0 else {
            return Ok(None);
        };
        Ok(Some((&k.name, k.store.decisions(&k.name)?)))
    }

    /// The committee's marks kept in the dossier given, oldest first.
    pub fn marks(&self) -> Result<Option<(&str, Vec<dossier::Marked>)>, Error> {
        let Some(k) = &self.0 else {
            return Ok(None);
        };
        Ok(Some((&k.name, k.store.marks(&k.name)?)))
    }

    /// Notes that the command wrote `path`, a file of `role`.
    pub fn file(&mut self, role: Role, path: &Path) {
        if let Some(k) = &mut self.0 {
            k.files.push((role, path.to_path_buf()));
        }
    }

    /// Adds every file noted to the dossier, in one transaction, the trail
    /// naming the command.
    pub fn commit(self) -> Result<(), Error> {
        let Some(mut k) = self.0 else {
            return Ok(());
        };
        if k.files.is_empty() {
            eprintln!(
                "boussole: no file written (give -o): nothing kept in the dossier «{}»",
                crate::text::terminal(&k.name)
            );
            return Ok(());
        }
        let mut incoming = Vec::new();
        for (role, path) in &k.files {
            incoming.push((*role, read(path)?));
        }
        for f in k.store.add_generated(&k.name, &k.command, &incoming)? {
            eprintln!(
                "boussole: {} v{} gardé dans le dossier «{}» ({})",
                crate::text::terminal(&f.name),
                f.version,
                crate::text::terminal(&k.name),
                f.role.code()
            );
        }
        Ok(())
    }

    /// The dossier's latest offers (the last version of each file name),
    /// with its evidence files, written under their original names into a
    /// private temporary folder removed when the result is dropped; and
    /// the dossier's latest lock, written beside. Nothing without a dossier.
    pub fn materialise(&self) -> Result<Option<Materialised>, Error> {
        let Some(k) = &self.0 else {
            return Ok(None);
        };
        let d = k.store.dossier(&k.name)?;
        let latest = |role: Role| -> Vec<&dossier::File> {
            let mut last: std::collections::BTreeMap<&str, &dossier::File> = Default::default();
            for f in d.files.iter().filter(|f| f.role == role) {
                let keep = last
                    .get(f.name.as_str())
                    .is_none_or(|g| g.version < f.version);
                if keep {
                    last.insert(&f.name, f);
                }
            }
            last.into_values().collect()
        };
        let offers = latest(Role::Offer);
        if offers.is_empty() {
            return Err(Error::Usage(format!(
                "the dossier «{}» holds no offer: `boussole dossier add {} --role offer FILE…` \
                 adds them",
                k.name, k.name
            )));
        }
        let root = private_dir()?;
        // built first, so that the folder is removed on any error below
        let mut m = Materialised {
            dir: root.join("offres"),
            lock_dir: root.join("verrou"),
            root,
            lock: None,
        };
        for sub in [&m.dir, &m.lock_dir] {
            std::fs::create_dir(sub).map_err(|e| Error::Io(sub.clone(), e))?;
        }
        for f in offers.iter().chain(latest(Role::Evidence).iter()) {
            let path = m.dir.join(&f.name);
            let bytes = k.store.bytes(&f.sha256)?;
            std::fs::write(&path, bytes).map_err(|e| Error::Io(path.clone(), e))?;
        }
        let last_lock = d
            .files
            .iter()
            .filter(|f| f.role == Role::Lock)
            .max_by_key(|f| (f.version, f.name.ends_with(".boussole.lock")));
        if let Some(f) = last_lock {
            let path = m.lock_dir.join(&f.name);
            let bytes = k.store.bytes(&f.sha256)?;
            std::fs::write(&path, bytes).map_err(|e| Error::Io(path.clone(), e))?;
            m.lock = Some(path);
        }
        Ok(Some(m))
    }
}

/// A dossier's files written out for the readers of files, removed when
/// dropped.
pub struct Materialised {
    root: PathBuf,
    /// The folder of the offers and their evidence files.
    pub dir: PathBuf,
    lock_dir: PathBuf,
    /// The latest lock, if the dossier holds one.
    pub lock: Option<PathBuf>,
}

impl Materialised {
    /// The name a file written out is known by: its original name, as kept
    /// in the dossier (no temporary folder in the reports).
    pub fn label(&self, file: &str) -> String {
        match Path::new(file).strip_prefix(&self.dir) {
            Ok(name) => name.display().to_string(),
            Err(_) => file.to_string(),
        }
    }
}

impl Drop for Materialised {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A new folder of the system's temporary folder, readable by its owner only.
fn private_dir() -> Result<PathBuf, Error> {
    let base = std::env::temp_dir();
    let mut last = None;
    for _ in 0..16 {
        let dir = base.join(format!(
            "boussole-dossier-{:016x}",
            crate::output::unguessable()
        ));
        #[cfg_attr(not(unix), allow(unused_mut))]
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(Error::Io(dir, e)),
        }
    }
    let e = last.unwrap_or_else(|| std::io::Error::other("no temporary name left"));
    Err(Error::Io(base, e))
}

/// A file to add: its name and bytes, refused beyond [`dossier::MAX_FILE`].
pub(super) fn read(path: &Path) -> Result<Incoming, Error> {
    let bytes = crate::input::read_at_most(path, dossier::MAX_FILE)?;
    if bytes.len() as u64 > dossier::MAX_FILE {
        return Err(Error::Usage(format!(
            "{}: is over {} MiB, more than a dossier keeps: not added",
            path.display(),
            dossier::MAX_FILE >> 20
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dossier::check_file_name(&name)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    Ok(Incoming { name, bytes })
}
