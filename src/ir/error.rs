//! Why an IR file could not be loaded, with where (file, line:column, node id) and a hint.

use std::path::PathBuf;

/// A file that is not a loadable IR. Every variant names the file; the message says what
/// to change.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("{path}: cannot read the file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The text is not JSON, or a value has the wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line of the offending character.
        line: usize,
        /// 1-based column of the offending character.
        column: usize,
        /// What is wrong there and what to do.
        message: String,
    },
    /// The file is over a limit (its size: `--max-file-mb`); it was not read.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
    /// A node is well-formed JSON but not a valid node.
    #[error("{path}: node {node}: {message}")]
    Node {
        /// The file.
        path: PathBuf,
        /// The node's id, or `#<index>` when it has none.
        node: String,
        /// What is wrong and what to do.
        message: String,
    },
}

impl LoadError {
    /// The node the error is about, if any.
    pub fn node(&self) -> Option<&str> {
        match self {
            LoadError::Node { node, .. } => Some(node),
            _ => None,
        }
    }

    /// `(line, column)` of a JSON error.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            LoadError::Json { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// A JSON value as an error message quotes it: at most 60 characters (a hostile file can put
/// megabytes of nested lists where a name belongs).
pub(crate) fn shown(value: &serde_json::Value) -> String {
    let mut text = value.to_string();
    if let Some((cut, _)) = text.char_indices().nth(60) {
        text.truncate(cut);
        text.push('…');
    }
    text
}
