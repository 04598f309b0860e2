//! Compound File Binary containers (XLS, encrypted OOXML): sector chains.

use super::*;

/// Sector ids from which a CFB chain ends (special values).
const CFB_RESERVED: u32 = 0xFFFF_FFFA;
/// Marks a DIFAT sector; ids from here on are not FAT sectors.
const CFB_DIFSECT: u32 = 0xFFFF_FFFC;
/// Streams this long or longer are chains of full sectors.
const CFB_MINI_CUTOFF: u64 = 4096;

/// Refuses a Compound File Binary container (XLS, encrypted OOXML) whose
/// sector chains loop, or that lists more FAT sectors than it holds:
/// calamine follows a looping chain until memory runs out (a 1.5 KB file
/// is enough). Only the container is checked, not the workbook inside (see
/// the module documentation). Headers calamine refuses anyway pass.
pub fn cfb(bytes: &[u8]) -> Result<(), ReadError> {
    let Some(cfb) = Cfb::new(bytes) else {
        return Ok(());
    };
    let fat = cfb.fat()?;
    let loops = looping(&fat);
    let loops_at = |id: u32| loops.get(id as usize).copied().unwrap_or(false);
    let refused = || {
        ReadError::Malformed(
            "the Excel 97-2003 container is damaged: a chain of its sectors loops".into(),
        )
    };
    if loops_at(cfb.dir_start) {
        return Err(refused());
    }
    let entries = cfb.directory(&fat);
    let mini = cfb.mini_fat_len > 0;
    let root = entries.first().map(|e| e.0);
    if mini && (loops_at(cfb.mini_fat_start) || root.is_some_and(loops_at)) {
        return Err(refused());
    }
    if entries
        .iter()
        .any(|&(start, len)| len >= CFB_MINI_CUTOFF && loops_at(start))
    {
        return Err(refused());
    }
    Ok(())
}

/// The header fields of a CFB file that locate its chains.
struct Cfb<'a> {
    bytes: &'a [u8],
    size: usize,
    maxid: usize,
    dir_start: u32,
    mini_fat_start: u32,
    mini_fat_len: u32,
    difat_start: u32,
}

impl<'a> Cfb<'a> {
    /// The header; `None` when calamine would refuse it (too short, odd sector size).
    fn new(bytes: &'a [u8]) -> Option<Cfb<'a>> {
        let size = match bytes.get(30..32)? {
            [9, 0] => 512,
            [12, 0] => 4096,
            _ => return None,
        };
        (bytes.len() >= 512).then_some(Cfb {
            bytes,
            size,
            maxid: bytes.len() / size,
            dir_start: u32_at(bytes, 48),
            mini_fat_start: u32_at(bytes, 60),
            mini_fat_len: u32_at(bytes, 64),
            difat_start: u32_at(bytes, 68),
        })
    }

    /// The bytes of sector `id` the file holds (sector 0 follows the header).
    fn sector(&self, id: u32) -> &'a [u8] {
        let start = (id as usize).saturating_add(1).saturating_mul(self.size);
        let end = start.saturating_add(self.size).min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or(&[])
    }

    /// The ids a sector holds.
    fn ids(&self, id: u32) -> impl Iterator<Item = u32> + 'a {
        self.sector(id)
            .chunks_exact(4)
            .map(|c| c.try_into().map_or(0, u32::from_le_bytes))
    }

    /// The FAT, read as calamine reads it (header DIFAT, then the DIFAT
    /// chain, each sector's last id pointing to the next); refuses more FAT
    /// sectors than the file holds.
    fn fat(&self) -> Result<Vec<u32>, ReadError> {
        let mut difat: Vec<u32> = (76..512)
            .step_by(4)
            .map(|at| u32_at(self.bytes, at))
            .collect();
        let mut id = self.difat_start;
        let mut steps = 0;
        while id < CFB_RESERVED && steps <= self.maxid {
            steps += 1;
            difat.extend(self.ids(id));
            id = difat.pop().unwrap_or(CFB_RESERVED);
        }
        difat.retain(|&id| id < CFB_DIFSECT);
        if difat.len() > self.maxid + 1 {
            return Err(ReadError::Malformed(format!(
                "the Excel 97-2003 container lists {} FAT sectors but holds {}",
                thousands(difat.len() as u64),
                thousands(self.maxid as u64)
            )));
        }
        Ok(difat.iter().flat_map(|&id| self.ids(id)).collect())
    }

    /// The start sector and length of each directory entry (the chain
    /// followed at most once around, already known not to loop).
    fn directory(&self, fat: &[u32]) -> Vec<(u32, u64)> {
        let mut entries = Vec::new();
        let mut id = self.dir_start;
        for _ in 0..=self.maxid {
            let Some(&next) = fat.get(id as usize) else {
                break;
            };
            for e in self.sector(id).chunks_exact(128) {
                let len = match self.size {
                    512 => u64::from(u32_at(e, 120)),
                    _ => e
                        .get(120..128)
                        .and_then(|b| b.try_into().ok())
                        .map_or(0, u64::from_le_bytes),
                };
                entries.push((u32_at(e, 116), len));
            }
            id = next;
        }
        entries
    }
}

/// A little-endian u32 at `at` (0 when the bytes are missing).
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at.saturating_add(4))
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

/// For each sector of `fat`, whether following the chain from it never
/// leaves the FAT (a loop). Each sector is visited once.
fn looping(fat: &[u32]) -> Vec<bool> {
    const UNKNOWN: u8 = 0;
    const ON_PATH: u8 = 1;
    const ENDS: u8 = 2;
    const LOOPS: u8 = 3;
    let mut state = vec![UNKNOWN; fat.len()];
    let mut path = Vec::new();
    for start in 0..fat.len() {
        let mut at = start;
        let verdict = loop {
            match state.get(at).copied() {
                None | Some(ENDS) => break ENDS,
                Some(LOOPS) | Some(ON_PATH) => break LOOPS,
                Some(_) => {
                    path.push(at);
                    if let Some(s) = state.get_mut(at) {
                        *s = ON_PATH;
                    }
                    at = fat.get(at).map_or(usize::MAX, |&n| n as usize);
                }
            }
        };
        for p in path.drain(..) {
            if let Some(s) = state.get_mut(p) {
                *s = verdict;
            }
        }
    }
    state.into_iter().map(|s| s == LOOPS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looping_chains_are_found() {
        // 0 → 1 → end; 2 → 3 → 2 (a loop); 4 → 2 (into the loop); 5 → beyond the FAT
        let fat = [1, CFB_RESERVED + 4, 3, 2, 2, 99];
        assert_eq!(looping(&fat), vec![false, false, true, true, true, false]);
    }
}
