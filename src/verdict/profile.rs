//! Profiles: thresholds and severities per rule. Defaults live in `profiles.toml` beside this file
//! (thresholds chosen on a labeled corpus by `scripts/fit-thresholds`, see reports/); a user's
//! `cjkcheck.toml` may pick a base profile and override any value.

use super::Severity;
use crate::error::InputError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Numeric limits used by the rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Largest acceptable line tilt, degrees.
    pub skew_deg: f32,
    /// Largest acceptable centre-line offset of a Han glyph, em.
    pub baseline_em: f32,
    /// Largest acceptable relative size difference of a Han glyph from its line's median.
    pub size_ratio: f32,
    /// Largest acceptable deviation of a Han–Han step from the line's median step, em.
    pub pitch_em: f32,
    /// Largest acceptable rotation of one glyph against its line, degrees.
    pub rotation_deg: f32,
    /// A glyph verified against its character is measured turned only when its character's
    /// rendering, turned, leaves at most this share of what it leaves upright (`verify::Turn`):
    /// else the turn explains nothing and the glyph is upright.
    #[serde(default = "default_rotation_left")]
    pub rotation_left: f32,
    /// Largest acceptable deviation of a line edge from its block's alignment edge, em.
    pub alignment_em: f32,
    /// Largest acceptable deviation of a line advance from its block's median, em.
    pub line_spacing_em: f32,
    /// Recognition confidence below which a glyph is reported as hard to read.
    pub low_confidence: f32,
    /// A wrong reading with at least this confidence is a real other character (`glyph.substituted`);
    /// below it the glyph is unclear (`glyph.garbled`).
    pub substitution_confidence: f32,
    /// A disagreement with the intended text (a substituted, missing or extra character) that the
    /// recogniser itself finds at most this much less likely than its reading (nats, see
    /// `align::second_look`) is an unsure reading (`glyph.low_confidence`), not a text error.
    pub reread_nats: f32,
    /// The same for missing or extra punctuation marks.
    pub reread_nats_marks: f32,
    /// A mark read as another mark is `glyph.substituted` when its ink's chamfer cost against the
    /// intended mark exceeds that against the read mark by more than this (canonical pixels);
    /// otherwise the ink cannot tell them apart and the reading is unsure (`glyph.low_confidence`).
    pub mark_ink_margin: f32,
    /// Whatever the chamfer costs say, a mark whose grey-level residual against the intended mark,
    /// both drawn at the line's scale, is below this fraction of that against the read mark is the
    /// intended mark, misread (`glyph.low_confidence`). Measured in `reports/mark-grey.md`.
    pub mark_grey_ratio: f32,
    /// A Han glyph read as another character whose ink fits the intended character (within the
    /// suspect limits) and whose grey-level residual against it is below this fraction of the
    /// residual against the read character is the intended character, misread
    /// (`glyph.low_confidence`). Look-alike substitutions sit near or above 1.
    pub read_rms_ratio: f32,
    /// A Han glyph read as intended whose grey-level residual against the recogniser's next
    /// likeliest Han reading is below this fraction of the residual against the intended character
    /// (and fits that reading within the suspect limits) is that other character
    /// (`glyph.substituted`): 曰 drawn for 日 reads as 日 but fits 曰 better. 0 turns it off.
    #[serde(default)]
    pub alternative_rms_ratio: f32,
    /// The same for a known look-alike of the intended character (`crate::lookalikes`) the
    /// recogniser gave less than `verify::ALTERNATIVE_FLOOR`: compared for every glyph of such a
    /// character, so its limit is fitted on them apart (a clean 日 at 17 px leaves about as much
    /// against 曰). 0 turns it off.
    #[serde(default)]
    pub lookalike_rms_ratio: f32,
    /// … or, its residual against that reading (either kind) smaller than against the intended
    /// character, whose ink that reading explains better where the two characters' renderings
    /// differ (`verify::residual::contrast` below this): the strokes both share, where any fit
    /// leaves a little, drown the few pixels that tell 日 from 曰 in the whole-crop ratio. 0 turns
    /// it off.
    #[serde(default)]
    pub alternative_contrast: f32,
    /// … or whose proportions that reading explains better by at least this
    /// (`verify::proportion::aspect_gain`, log units: 曰 is 日 about 18 % wider for its height),
    /// with a residual against it no larger than against the intended character. 0 turns it off.
    #[serde(default)]
    pub alternative_aspect_gain: f32,
    /// A punctuation mark whose advance is below this fraction of its line's pitch (the step of its
    /// Han glyphs; the em where the line has too few) is half-width. The name keeps its first unit.
    pub halfwidth_advance_em: f32,
    /// Largest acceptable ink gap between Han and Latin/digit runs, em.
    pub han_latin_gap_em: f32,
    /// Unexplained recognised text needs at least this confidence to be reported.
    pub extra_text_confidence: f32,
    /// Measurement noise of ink edges, pixels: position limits are never tighter than this, size
    /// limits never tighter than twice this (two edges), whatever the em.
    pub pixel_tolerance_px: f32,
    /// The same for a line's skew, whose glyph centres across the line are measured from
    /// sub-pixel edges (`layout::edges`): over a fit span of `s` pixels the skew limit is never
    /// tighter than atan(this / s). Fitted by scripts/fit-thresholds on level lines.
    pub skew_tolerance_px: f32,
    /// Glyph verification (`glyph.garbled` from the ink), fitted by scripts/fit-thresholds. Glyphs
    /// whose em is smaller than this (pixels) are not judged from their ink: strokes are not resolved.
    pub garbled_min_em_px: f32,
    /// Nor are glyphs whose ink reaches further than this many em (a neighbour's ink or an icon in
    /// the glyph's box: the box, not the glyph, is wrong).
    pub garbled_max_extent_em: f32,
    /// A glyph is not the intended character when one of its expected strokes has less than this
    /// share of its median on ink (a stroke is missing; judged where the glyph is drawn in the
    /// stroke data's own hand)…
    pub garbled_stroke_cover: f32,
    /// …or when more than this share of its ink lies off every expected stroke (strokes added)…
    pub garbled_unexplained: f32,
    /// …or when it fits the intended character this many times worse than its line-mates fit theirs
    /// (chamfer cost; the face's own distance from the references is the line's median)…
    pub garbled_peer_ratio: f32,
    /// …and by at least this much (canonical pixels).
    pub garbled_peer_margin: f32,
    /// The grey-level residual (`verify::residual`) judges glyphs whose em is at least this many
    /// pixels…
    pub garbled_residual_min_em_px: f32,
    /// …whose rendering, as fitted, is within this fraction of the line's em (else the glyph's
    /// box, not its strokes, is off)…
    pub garbled_residual_scale: f32,
    /// …on lines whose other glyphs leave at most this much (median patch share of ink: the face
    /// is one the references have). Such a glyph is not the intended character when a connected
    /// patch of the character's ink, more than this share of it, is absent…
    pub garbled_residual_peers: f32,
    pub garbled_residual_missing: f32,
    /// …and an expected stroke running into that patch lacks at least this share of its median
    /// (`Residual::stroke_lacking`; a face drawing a stroke differently leaves part of one)…
    pub garbled_residual_stroke_share: f32,
    /// …or when a patch of ink the character does not have is more than this share of its ink.
    pub garbled_residual_extra: f32,
    /// The missing patch counts only when at least this deep (`Residual::missing_depth`: a stroke
    /// absent outright, not one drawn thinner)…
    pub garbled_residual_depth: f32,
    /// …and the extra patch only when at least this deep (`Residual::extra_depth`: not a stroke
    /// drawn bolder; an added stroke crossing others, or laid along one, is shallower than a
    /// missing one, since the character's own ink lies under part of it).
    pub garbled_residual_extra_depth: f32,
    /// A smaller patch of extra ink, more than this share, counts too when at least
    /// `garbled_residual_extra_deep_depth` deep: a stroke added clear of the others is drawn at full
    /// darkness (9.0: off).
    #[serde(default = "off")]
    pub garbled_residual_extra_deep: f32,
    #[serde(default = "off")]
    pub garbled_residual_extra_deep_depth: f32,
    /// Likewise a smaller patch of missing ink, more than this share, when at least
    /// `garbled_residual_missing_deep_depth` deep (9.0: off).
    #[serde(default = "off")]
    pub garbled_residual_missing_deep: f32,
    #[serde(default = "off")]
    pub garbled_residual_missing_deep_depth: f32,
    /// And a patch of missing ink between the two shares, more than this share, when at least
    /// `garbled_residual_missing_mid_depth` deep: a stroke gone from a small glyph, whose
    /// neighbours' blurred edges fill part of its place (9.0: off).
    #[serde(default = "off")]
    pub garbled_residual_missing_mid: f32,
    #[serde(default = "off")]
    pub garbled_residual_missing_mid_depth: f32,
    /// A patch of extra ink, more than this share and at least `garbled_residual_extra_lone_depth`
    /// deep, on a glyph none of whose line-mates leaves one (`Peers::residual_extra_share` zero:
    /// the references draw the line's face as it is drawn, so the patch is the glyph's own). A
    /// stroke added to a small glyph is a patch of a few per cent that a face the references lack
    /// leaves as often; on a line the references draw, it is the glyph's. Counted only where the
    /// residual leaves no patch of missing ink (a stroke added takes none away). Whether a reading
    /// fits the ink is judged without it (9.0: off).
    #[serde(default = "off")]
    pub garbled_residual_extra_lone: f32,
    #[serde(default = "off")]
    pub garbled_residual_extra_lone_depth: f32,
    /// On a line of em under `garbled_residual_extra_lone_small_em_px` pixels the lone patch must
    /// pass `garbled_residual_extra_lone_small` instead (when larger): at a dozen pixels a stroke
    /// is one or two pixels wide and the rendering's grey edge alone leaves a patch of a few per
    /// cent, more of the ink than at larger sizes (0.0: the same share at every size).
    #[serde(default)]
    pub garbled_residual_extra_lone_small_em_px: f32,
    #[serde(default = "off")]
    pub garbled_residual_extra_lone_small: f32,
    /// A patch of missing ink, more than this share, where the binarised stroke match and the
    /// grey-level residual name the same stroke: one of the strokes less than half on ink
    /// (`GlyphCheck::missing_strokes`) has its median in the residual's missing patch
    /// (`GlyphCheck::residual_strokes`). Two measures agreeing on which stroke is gone is rare on
    /// a real character, so a smaller patch says it (judged by the garbled limits' em, size and
    /// line-mates; 9.0: off).
    #[serde(default = "off")]
    pub garbled_residual_stroke_agree: f32,
    /// Looser limits of the same residual, with the same meanings: a glyph they flag, and the
    /// `garbled_residual_*` ones do not, is suspect (`glyph.suspect`, a warning to look at it), and
    /// a glyph read as another character that its ink does not fit within them is no real
    /// character (`glyph.garbled`, not `glyph.substituted`). Fitted by scripts/fit-thresholds to a
    /// larger share of clean glyphs.
    pub suspect_residual_min_em_px: f32,
    pub suspect_residual_scale: f32,
    pub suspect_residual_peers: f32,
    pub suspect_residual_missing: f32,
    pub suspect_residual_stroke_share: f32,
    pub suspect_residual_extra: f32,
    pub suspect_residual_depth: f32,
    pub suspect_residual_extra_depth: f32,
    #[serde(default = "off")]
    pub suspect_residual_extra_deep: f32,
    #[serde(default = "off")]
    pub suspect_residual_extra_deep_depth: f32,
    #[serde(default = "off")]
    pub suspect_residual_missing_deep: f32,
    #[serde(default = "off")]
    pub suspect_residual_missing_deep_depth: f32,
    #[serde(default = "off")]
    pub suspect_residual_missing_mid: f32,
    #[serde(default = "off")]
    pub suspect_residual_missing_mid_depth: f32,
    /// A patch of extra ink, more than this share and at least `suspect_residual_extra_lone_depth`
    /// deep, makes a glyph suspect when none of its line-mates leaves one (`Peers::residual_extra_share`
    /// zero: the references draw the line's face as it is drawn, so the patch is the glyph's own,
    /// not the face's). Whether a reading fits the ink is judged without it (9.0: off; off in the
    /// built-in profiles since `garbled_residual_extra_lone` calls the same patch garbled).
    #[serde(default = "off")]
    pub suspect_residual_extra_lone: f32,
    #[serde(default = "off")]
    pub suspect_residual_extra_lone_depth: f32,
}

/// One set of limits on the grey-level residual (see the `garbled_residual_*` thresholds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResidualLimits {
    pub min_em_px: f32,
    pub scale: f32,
    pub peers: f32,
    pub missing: f32,
    pub stroke_share: f32,
    pub extra: f32,
    pub depth: f32,
    pub extra_depth: f32,
    pub extra_deep: f32,
    pub extra_deep_depth: f32,
    pub missing_deep: f32,
    pub missing_deep_depth: f32,
    pub missing_mid: f32,
    pub missing_mid_depth: f32,
    pub extra_lone: f32,
    pub extra_lone_depth: f32,
    /// Below this em (pixels) the lone patch must pass `extra_lone_small` (when larger).
    pub extra_lone_small_em_px: f32,
    pub extra_lone_small: f32,
}

fn default_rotation_left() -> f32 {
    0.8
}

/// A limit no measurement reaches.
fn off() -> f32 {
    9.0
}

impl ResidualLimits {
    /// Whether residual `r`, on a line of em `em_px` whose other glyphs leave `peers`, says the
    /// glyph is not the character drawn: `Some((measured, limit))`; `None` when it is, or when it
    /// cannot be told (too small, or the fitted size is off the line's, or the line's face is not
    /// one the references have).
    pub fn exceeded(&self, r: &crate::verify::residual::Residual, peers: &crate::verify::Peers, em_px: f32) -> Option<(f32, f32)> {
        if !self.judges(r, em_px) {
            return None;
        }
        // The limit each patch passes, the first share's before the smaller ones' (reported
        // beside the measured share).
        let missing_limit = if r.missing > self.missing && r.missing_depth >= self.depth {
            Some(self.missing)
        } else {
            [(self.missing_mid, self.missing_mid_depth), (self.missing_deep, self.missing_deep_depth)].into_iter().find(|&(share, deep)| r.missing > share && r.missing_depth >= deep).map(|t| t.0)
        };
        if let Some(limit) = missing_limit.filter(|_| r.stroke_lacking >= self.stroke_share && peers.residual_missing <= self.peers) {
            return Some((r.missing, limit));
        }
        let extra_limit = if r.extra > self.extra && r.extra_depth >= self.extra_depth {
            Some(self.extra)
        } else if r.extra > self.extra_deep && r.extra_depth >= self.extra_deep_depth {
            Some(self.extra_deep)
        } else {
            // The lone patch only where the glyph lacks none of the character's ink: a stroke
            // added takes nothing away, while a stroke drawn off its place (a small glyph's
            // stroke blurred aside) leaves a patch of each, side by side.
            let lone = if em_px < self.extra_lone_small_em_px { self.extra_lone.max(self.extra_lone_small) } else { self.extra_lone };
            (peers.residual_extra_share <= 0.0 && r.missing <= 0.0 && r.extra > lone && r.extra_depth >= self.extra_lone_depth).then_some(lone)
        };
        if let Some(limit) = extra_limit.filter(|_| peers.residual_extra <= self.peers) {
            return Some((r.extra, limit));
        }
        None
    }

    /// Whether the glyph is large enough and fitted at the line's size.
    pub fn judges(&self, r: &crate::verify::residual::Residual, em_px: f32) -> bool {
        em_px >= self.min_em_px && (r.em_px / em_px.max(1.0) - 1.0).abs() <= self.scale
    }
}

impl Thresholds {
    /// Whether the ink of glyph check `c`, compared with a character in `fit` (the intended one,
    /// or the one read), is not that character: `Some((measured, limit))` when it is not, `None`
    /// when it is or cannot be told (no stroke data, glyph too small, box holding other ink).
    pub fn garbled(&self, c: &crate::verify::GlyphCheck, fit: &crate::verify::Fit, em_px: f32) -> Option<(f32, f32)> {
        if !self.judgeable(c, fit, em_px) {
            return None;
        }
        let s = fit.strokes?;
        if s.same_hand && s.worst_cover < self.garbled_stroke_cover {
            return Some((s.worst_cover, self.garbled_stroke_cover));
        }
        if s.unexplained > self.garbled_unexplained {
            return Some((s.unexplained, self.garbled_unexplained));
        }
        if let Some(p) = c.peers {
            let ratio = fit.cost / p.cost.max(0.3);
            if ratio > self.garbled_peer_ratio && fit.cost - p.cost > self.garbled_peer_margin {
                return Some((ratio, self.garbled_peer_ratio));
            }
        }
        None
    }

    /// The limits that make a glyph `glyph.garbled`.
    pub fn garbled_limits(&self) -> ResidualLimits {
        ResidualLimits {
            min_em_px: self.garbled_residual_min_em_px,
            scale: self.garbled_residual_scale,
            peers: self.garbled_residual_peers,
            missing: self.garbled_residual_missing,
            stroke_share: self.garbled_residual_stroke_share,
            extra: self.garbled_residual_extra,
            depth: self.garbled_residual_depth,
            extra_depth: self.garbled_residual_extra_depth,
            extra_deep: self.garbled_residual_extra_deep,
            extra_deep_depth: self.garbled_residual_extra_deep_depth,
            missing_deep: self.garbled_residual_missing_deep,
            missing_deep_depth: self.garbled_residual_missing_deep_depth,
            missing_mid: self.garbled_residual_missing_mid,
            missing_mid_depth: self.garbled_residual_missing_mid_depth,
            extra_lone: self.garbled_residual_extra_lone,
            extra_lone_depth: self.garbled_residual_extra_lone_depth,
            extra_lone_small_em_px: self.garbled_residual_extra_lone_small_em_px,
            extra_lone_small: self.garbled_residual_extra_lone_small,
        }
    }

    /// The looser limits that make a glyph suspect.
    pub fn suspect_limits(&self) -> ResidualLimits {
        ResidualLimits {
            min_em_px: self.suspect_residual_min_em_px,
            scale: self.suspect_residual_scale,
            peers: self.suspect_residual_peers,
            missing: self.suspect_residual_missing,
            stroke_share: self.suspect_residual_stroke_share,
            extra: self.suspect_residual_extra,
            depth: self.suspect_residual_depth,
            extra_depth: self.suspect_residual_extra_depth,
            extra_deep: self.suspect_residual_extra_deep,
            extra_deep_depth: self.suspect_residual_extra_deep_depth,
            missing_deep: self.suspect_residual_missing_deep,
            missing_deep_depth: self.suspect_residual_missing_deep_depth,
            missing_mid: self.suspect_residual_missing_mid,
            missing_mid_depth: self.suspect_residual_missing_mid_depth,
            extra_lone: self.suspect_residual_extra_lone,
            extra_lone_depth: self.suspect_residual_extra_lone_depth,
            // The suspect tier's lone patch (off in the built-in profiles) has one share at every size.
            extra_lone_small_em_px: 0.0,
            extra_lone_small: off(),
        }
    }

    /// Whether the glyph's grey-level residual against the intended character says it is not that
    /// character (`garbled_residual_*` limits): `Some((measured, limit))`.
    pub fn garbled_residual(&self, c: &crate::verify::GlyphCheck, em_px: f32) -> Option<(f32, f32)> {
        self.garbled_limits().exceeded(&c.residual?, &c.peers?, em_px)
    }

    /// Whether the binarised stroke match and the grey-level residual agree that a stroke of the
    /// intended character is missing, with a missing patch over `garbled_residual_stroke_agree`:
    /// `Some((measured, limit))`.
    pub fn garbled_agreeing_stroke(&self, c: &crate::verify::GlyphCheck, em_px: f32) -> Option<(f32, f32)> {
        let (r, peers) = (c.residual?, c.peers?);
        (!c.strokes_missing_by_both().is_empty() && self.garbled_limits().judges(&r, em_px) && peers.residual_missing <= self.garbled_residual_peers && r.missing > self.garbled_residual_stroke_agree)
            .then_some((r.missing, self.garbled_residual_stroke_agree))
    }

    /// The same within the looser `suspect_residual_*` limits.
    pub fn suspect_residual(&self, c: &crate::verify::GlyphCheck, em_px: f32) -> Option<(f32, f32)> {
        self.suspect_limits().exceeded(&c.residual?, &c.peers?, em_px)
    }

    /// Whether the ink is the character the recogniser read instead of the intended one, by its
    /// residual against that character (looser limits: only a clear patch says it is not):
    /// `None` when that cannot be told.
    pub fn read_residual_fits(&self, c: &crate::verify::GlyphCheck, em_px: f32) -> Option<bool> {
        self.fits_within_suspect(c.read_residual?, &c.peers?, em_px)
    }

    /// Whether the ink is the other reading the recogniser considered rather than the intended
    /// character it read: by residual (`alternative_rms_ratio`), by the pixels where the two
    /// characters differ (`alternative_contrast`) or by proportions
    /// (`alternative_aspect_gain`, its residual no worse and its largest patch no bigger: 伺 is
    /// narrower than 同, but leaves 同's ink without its 亻). The alternative must fit within the
    /// suspect limits either way.
    pub fn alternative_fits(&self, c: &crate::verify::GlyphCheck, em_px: f32) -> Option<AlternativeEvidence> {
        let a = c.alternative.as_ref()?;
        let ratio = a.residual.rms / c.residual?.rms.max(1e-6);
        // The residual ratio speaks only for a reading the recogniser gave a fair chance or a
        // known look-alike of the intended character (each with its own limit); one compared for
        // its proportions alone needs them.
        let limit = if a.score >= crate::verify::ALTERNATIVE_FLOOR {
            self.alternative_rms_ratio
        } else if a.lookalike {
            self.lookalike_rms_ratio
        } else {
            0.0
        };
        let evidence = if ratio < limit {
            AlternativeEvidence::Residual { ratio, limit }
        } else if let Some(k) = a.contrast.filter(|&k| limit > 0.0 && ratio < 1.0 && k < self.alternative_contrast) {
            AlternativeEvidence::Contrast { contrast: k, limit: self.alternative_contrast }
        } else {
            match a.aspect_gain {
                Some(gain) if self.alternative_aspect_gain > 0.0 && gain >= self.alternative_aspect_gain && crate::verify::explains_no_worse(&a.residual, &c.residual?) => AlternativeEvidence::Proportions { gain, limit: self.alternative_aspect_gain },
                _ => return None,
            }
        };
        (self.fits_within_suspect(a.residual, &c.peers?, em_px) == Some(true)).then_some(evidence)
    }

    /// The same for the intended character.
    pub fn residual_fits(&self, c: &crate::verify::GlyphCheck, em_px: f32) -> Option<bool> {
        self.fits_within_suspect(c.residual?, &c.peers?, em_px)
    }

    fn fits_within_suspect(&self, r: crate::verify::residual::Residual, peers: &crate::verify::Peers, em_px: f32) -> Option<bool> {
        // Judged from the smallest em the residual rules speak at: a glyph the garbled limits can
        // call garbled can be told a real character by the looser ones (兔 drawn for 免 at 14.0
        // px, read as 兔, under a suspect rule fitted from 14 px: 909/83). The lone patch only asks
        // for a look: a reading is not told wrong by it.
        let l = ResidualLimits { min_em_px: self.suspect_residual_min_em_px.min(self.garbled_residual_min_em_px), extra_lone: off(), ..self.suspect_limits() };
        if l.judges(&r, em_px) {
            return Some(l.exceeded(&r, peers, em_px).is_none());
        }
        // Fitted clearly smaller than the line's glyphs, the character still leaves a patch: it
        // leaves more at the line's size, so the ink is not it (3636/117: 观 with 见 swapped for
        // 讠, ink half a glyph wide, read «主» at 0.48; against 观 shrunk to 12 px of the line's
        // 17.5 it leaves 31 % missing and 40 % extra). Fitted that small and leaving nothing, it
        // is still not told the character at the line's size.
        let shrunk = ResidualLimits { scale: f32::INFINITY, ..l };
        (r.em_px < (1.0 - l.scale) * em_px && shrunk.exceeded(&r, peers, em_px).is_some()).then_some(false)
    }

    fn judgeable(&self, c: &crate::verify::GlyphCheck, fit: &crate::verify::Fit, em_px: f32) -> bool {
        fit.strokes.is_some() && em_px >= self.garbled_min_em_px && c.ink_size[0].max(c.ink_size[1]) <= self.garbled_max_extent_em * em_px
    }

    /// Whether the ink is the character compared in `fit`: `None` when it cannot be told.
    pub fn fits(&self, c: &crate::verify::GlyphCheck, fit: &crate::verify::Fit, em_px: f32) -> Option<bool> {
        self.judgeable(c, fit, em_px).then(|| self.garbled(c, fit, em_px).is_none())
    }
}

/// Why a glyph read as intended is taken for another character the recogniser considered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AlternativeEvidence {
    /// Its residual against that one is `ratio` of that against the intended character.
    Residual { ratio: f32, limit: f32 },
    /// That one's proportions explain its width for its height better by `gain` (log units).
    Proportions { gain: f32, limit: f32 },
    /// Where the two characters' renderings differ, its residual against that one is `contrast`
    /// of that against the intended character.
    Contrast { contrast: f32, limit: f32 },
}

/// A profile: thresholds plus severities per rule id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub thresholds: Thresholds,
    pub severity: BTreeMap<String, Severity>,
}

#[derive(Deserialize)]
struct ProfilesFile {
    profile: BTreeMap<String, ProfileEntry>,
}

#[derive(Deserialize)]
struct ProfileEntry {
    thresholds: Thresholds,
    severity: BTreeMap<String, Severity>,
}

/// User configuration (`cjkcheck.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Base profile name.
    pub profile: Option<String>,
    #[serde(default)]
    pub thresholds: BTreeMap<String, f32>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

static PROFILES: &str = include_str!("profiles.toml");

/// Names of the built-in profiles.
pub fn builtin_names() -> Vec<String> {
    let f: ProfilesFile = toml::from_str(PROFILES).expect("built-in profiles parse");
    f.profile.keys().cloned().collect()
}

impl Profile {
    /// A built-in profile by name.
    pub fn builtin(name: &str) -> Result<Profile, InputError> {
        let f: ProfilesFile = toml::from_str(PROFILES).expect("built-in profiles parse");
        let names: Vec<&String> = f.profile.keys().collect();
        let e = f.profile.get(name).ok_or_else(|| InputError::Usage(format!("unknown profile '{name}' (built-in: {names:?})")))?;
        Ok(Profile { name: name.to_string(), thresholds: e.thresholds.clone(), severity: e.severity.clone() })
    }

    /// Applies a `cjkcheck.toml` on top of `base` (the config's own `profile` wins over `base`).
    pub fn with_config(base: &str, path: &Path) -> Result<Profile, InputError> {
        let bytes = std::fs::read(path).map_err(|e| InputError::from_io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| InputError::NotUtf8(path.to_path_buf()))?;
        let cfg: Config = toml::from_str(&text).map_err(|e| InputError::Malformed { path: path.to_path_buf(), msg: one_line(&e.to_string()) })?;
        let mut p = Profile::builtin(cfg.profile.as_deref().unwrap_or(base))?;
        let mut t = toml::Value::try_from(&p.thresholds).expect("thresholds serialise");
        for (k, v) in &cfg.thresholds {
            let table = t.as_table_mut().unwrap();
            if !table.get(k).is_some_and(|x| x.is_float()) {
                return Err(InputError::Malformed { path: path.to_path_buf(), msg: format!("unknown threshold '{k}'") });
            }
            table.insert(k.clone(), toml::Value::Float(*v as f64));
        }
        p.thresholds = t.try_into().map_err(|e: toml::de::Error| InputError::Malformed { path: path.to_path_buf(), msg: one_line(&e.to_string()) })?;
        for (k, v) in cfg.severity {
            p.severity.insert(k, v);
        }
        p.name = format!("{} + {}", p.name, path.display());
        Ok(p)
    }

    /// Severity of a rule (rules not listed are errors).
    pub fn severity_of(&self, rule: &str) -> Severity {
        self.severity.get(rule).copied().unwrap_or(Severity::Error)
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::residual::Residual;
    use crate::verify::Peers;

    fn residual(missing: f32, missing_depth: f32, extra: f32, extra_depth: f32) -> Residual {
        Residual { missing, extra, missing_depth, extra_depth, rms: 0.1, em_px: 20.0, blur: 0.5, weight: 1.0, missing_box: None, extra_box: None, stroke_lacking: 1.0 }
    }

    /// The same, fitted at `em_px` (the rules judge a glyph fitted at its line's size).
    fn residual_at(em_px: f32, missing: f32, missing_depth: f32, extra: f32, extra_depth: f32) -> Residual {
        Residual { em_px, ..residual(missing, missing_depth, extra, extra_depth) }
    }

    /// Five line-mates that leave no patch: the glyph's own residual decides.
    fn alone() -> Peers {
        Peers { count: 5, missing: 0.0, extra: 0.0, cost: 0.5, residual_missing: 0.0, residual_extra: 0.0, residual_extra_share: 0.0 }
    }

    #[test]
    fn a_small_patch_counts_only_when_drawn_at_full_depth() {
        let limits = ResidualLimits { min_em_px: 12.0, scale: 0.2, peers: 0.0, missing: 0.03, stroke_share: 0.3, extra: 0.04, depth: 0.0, extra_depth: 0.3, extra_deep: 0.03, extra_deep_depth: 0.7, missing_deep: 0.015, missing_deep_depth: 0.8, missing_mid: 9.0, missing_mid_depth: 9.0, extra_lone: 9.0, extra_lone_depth: 9.0, extra_lone_small_em_px: 0.0, extra_lone_small: 9.0 };
        let peers = alone();
        // Extra ink: 3.5 % at depth 0.9 counts; at depth 0.5 it is under both shares' terms.
        assert!(limits.exceeded(&residual(0.0, 0.0, 0.035, 0.9), &peers, 20.0).is_some());
        assert!(limits.exceeded(&residual(0.0, 0.0, 0.035, 0.5), &peers, 20.0).is_none());
        assert!(limits.exceeded(&residual(0.0, 0.0, 0.045, 0.5), &peers, 20.0).is_some());
        // Missing ink likewise.
        assert!(limits.exceeded(&residual(0.02, 0.9, 0.0, 0.0), &peers, 20.0).is_some());
        assert!(limits.exceeded(&residual(0.02, 0.6, 0.0, 0.0), &peers, 20.0).is_none());
        // Off (9.0): only the first share counts.
        let off = ResidualLimits { extra_deep: 9.0, missing_deep: 9.0, ..limits };
        assert!(off.exceeded(&residual(0.0, 0.0, 0.035, 0.9), &peers, 20.0).is_none());
        assert!(off.exceeded(&residual(0.02, 0.9, 0.0, 0.0), &peers, 20.0).is_none());
        // A middle share at a middle depth: 2.5 % at depth 0.5 counts with it, not without.
        let mid = ResidualLimits { missing_mid: 0.02, missing_mid_depth: 0.45, ..limits };
        assert_eq!(mid.exceeded(&residual(0.025, 0.5, 0.0, 0.0), &peers, 20.0), Some((0.025, 0.02)));
        assert!(limits.exceeded(&residual(0.025, 0.5, 0.0, 0.0), &peers, 20.0).is_none());
        assert!(mid.exceeded(&residual(0.025, 0.4, 0.0, 0.0), &peers, 20.0).is_none());
        // Deeper still, the smaller share reports its own limit.
        assert_eq!(mid.exceeded(&residual(0.018, 0.9, 0.0, 0.0), &peers, 20.0), Some((0.018, 0.015)));
    }

    #[test]
    fn a_patch_counts_from_a_smaller_share_only_where_no_line_mate_leaves_one() {
        let limits = ResidualLimits { min_em_px: 12.0, scale: 0.2, peers: 0.0, missing: 0.03, stroke_share: 0.3, extra: 0.04, depth: 0.0, extra_depth: 0.3, extra_deep: 9.0, extra_deep_depth: 9.0, missing_deep: 9.0, missing_deep_depth: 9.0, missing_mid: 9.0, missing_mid_depth: 9.0, extra_lone: 0.02, extra_lone_depth: 0.35, extra_lone_small_em_px: 0.0, extra_lone_small: 9.0 };
        let alone = alone();
        // A fifth of the line-mates leave a patch of their own (a face the references lack): the
        // line's median still leaves none, but the glyph's patch is the face's.
        let face = Peers { residual_extra_share: 0.2, ..alone };
        assert_eq!(limits.exceeded(&residual(0.0, 0.0, 0.025, 0.5), &alone, 20.0), Some((0.025, 0.02)), "the share with the limit it passed");
        assert!(limits.exceeded(&residual(0.0, 0.0, 0.025, 0.5), &face, 20.0).is_none());
        // Too shallow (a stroke drawn bolder), or too small, it is not counted alone either.
        assert!(limits.exceeded(&residual(0.0, 0.0, 0.025, 0.3), &alone, 20.0).is_none());
        assert!(limits.exceeded(&residual(0.0, 0.0, 0.015, 0.5), &alone, 20.0).is_none());
        // The first share counts whatever the line-mates leave.
        assert!(limits.exceeded(&residual(0.0, 0.0, 0.045, 0.5), &face, 20.0).is_some());
    }

    #[test]
    fn the_print_profile_calls_a_lone_patch_of_extra_ink_garbled() {
        let th = Profile::builtin("print").unwrap().thresholds;
        let alone = alone();
        // 3 % at depth 0.5: under both shares that count whatever the line-mates leave.
        let r = residual(0.0, 0.0, 0.03, 0.5);
        assert!(th.garbled_limits().exceeded(&r, &alone, 20.0).is_some());
        // A fifth of the line-mates leave a patch too: the face's, not the glyph's.
        assert!(th.garbled_limits().exceeded(&r, &Peers { residual_extra_share: 0.2, ..alone }, 20.0).is_none());
        // Under the lone share, nothing.
        assert!(th.garbled_limits().exceeded(&residual(0.0, 0.0, 0.02, 0.5), &alone, 20.0).is_none());
        // Beside a small patch of missing ink (a stroke drawn off its place, 5656/220's 14 px
        // 品: 3.1 % missing, 4.0 % extra), not alone.
        assert!(th.garbled_limits().exceeded(&residual(0.015, 0.4, 0.03, 0.5), &alone, 20.0).is_none());
    }

    #[test]
    fn on_a_small_glyph_the_lone_patch_must_pass_the_small_share() {
        let th = Profile::builtin("print").unwrap().thresholds;
        let l = th.garbled_limits();
        assert!(l.extra_lone_small > l.extra_lone && l.extra_lone_small_em_px > l.min_em_px, "{l:?}");
        let alone = alone();
        // Between the two shares (6060/293's 15.5 px 卫, clean: 2.6 % at depth 0.6): garbled at
        // the floor's em, not under it.
        let between = (l.extra_lone + l.extra_lone_small) / 2.0;
        let at = |em: f32| residual_at(em, 0.0, 0.0, between, 0.6);
        assert_eq!(l.exceeded(&at(l.extra_lone_small_em_px), &alone, l.extra_lone_small_em_px), Some((between, l.extra_lone)));
        let small = l.extra_lone_small_em_px - 0.5;
        assert!(l.exceeded(&at(small), &alone, small).is_none());
        // Past the small share (3232/75's 13.4 px 有 with a stroke added: 3.6 %), garbled there too.
        let r = residual_at(small, 0.0, 0.0, l.extra_lone_small + 0.005, 0.6);
        assert_eq!(l.exceeded(&r, &alone, small), Some((l.extra_lone_small + 0.005, l.extra_lone_small)));
        // With no floor (the default), one share at every size.
        let flat = ResidualLimits { extra_lone_small_em_px: 0.0, ..l };
        assert!(flat.exceeded(&at(small), &alone, small).is_some());
    }

    #[test]
    fn a_config_without_the_deep_shares_leaves_them_off() {
        let p = Profile::builtin("print").unwrap();
        let mut t: toml::Table = toml::from_str(&toml::to_string(&p.thresholds).unwrap()).unwrap();
        for k in ["garbled_residual_extra_deep", "garbled_residual_extra_deep_depth", "garbled_residual_missing_deep", "garbled_residual_missing_deep_depth", "garbled_residual_missing_mid", "garbled_residual_missing_mid_depth", "suspect_residual_extra_lone", "garbled_residual_extra_lone", "garbled_residual_extra_lone_small_em_px", "garbled_residual_extra_lone_small", "garbled_residual_stroke_agree"] {
            t.remove(k);
        }
        let back: Thresholds = toml::from_str(&toml::to_string(&t).unwrap()).unwrap();
        assert_eq!(back.garbled_residual_extra_deep, 9.0);
        assert_eq!(back.garbled_residual_missing_deep_depth, 9.0);
        assert_eq!(back.garbled_limits().missing_mid, 9.0);
        assert_eq!(back.suspect_residual_extra_lone, 9.0);
        assert_eq!(back.garbled_residual_extra_lone, 9.0);
        assert_eq!(back.garbled_limits().extra_lone, 9.0);
        assert_eq!(back.garbled_residual_extra_lone_small_em_px, 0.0);
        assert_eq!(back.garbled_residual_extra_lone_small, 9.0);
        assert_eq!(back.garbled_residual_stroke_agree, 9.0);
    }
}
