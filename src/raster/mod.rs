//! Raster utilities shared by every stage that looks at pixels: takes images or sampled planes; gives
//! greyscale planes, Otsu thresholds with ink polarity, binary masks and their connected components,
//! and rotated-rectangle sampling. No pipeline knowledge lives here.

pub mod binarize;
pub mod components;
pub mod orientation;
pub mod plane;

pub use binarize::{binarize_plane, Binarized};
pub use components::{connected_components, Component};
pub use plane::Plane;
