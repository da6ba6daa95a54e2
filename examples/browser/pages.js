// The playground's pages and the exports each needs from the built package. Shared by the pages
// (to degrade with a visible message when a model is missing) and by the Chromium test.
export const PAGES = {
  random: { title: 'Reproducible random numbers', requires: ['NormalGenerator', 'uniforms', 'seedToKey'] },
  lif: { title: 'LIF network', requires: ['LifNetwork'] },
  fp: { title: 'Fokker–Planck with learning', requires: ['FokkerPlanckSolver', 'fpGaussianDensity'] },
  brf: {
    title: 'Balanced resonate-and-fire neuron',
    requires: ['simulateResonators', 'brfDivergenceBoundary', 'brfTransitionMatrix', 'spectralRadius2x2'],
  },
  srm: { title: 'Escape-noise spiking network', requires: ['SrmNetwork', 'normals', 'populationRate'] },
  ltn: { title: 'Linear-threshold network', requires: ['ltnSimulate', 'pdsSimulate', 'ltnEquilibria', 'ldsTwoByTwo'] },
};
