/** A small line chart (SVG) of a training curve: values per step, axes labelled with min and max. */
export function LossCurve({ values, label }: { values: number[]; label: string }) {
  const w = 320;
  const h = 140;
  const pad = 28;
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (i: number) => pad + (values.length === 1 ? 0 : (i / (values.length - 1)) * (w - 2 * pad));
  const y = (v: number) => h - pad - ((v - min) / span) * (h - 2 * pad);
  const d = values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <figure className="curve">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label={`${label}: from ${values[0]?.toFixed(4)} to ${values.at(-1)?.toFixed(4)}`}
      >
        <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} className="axis" />
        <line x1={pad} y1={pad} x2={pad} y2={h - pad} className="axis" />
        <text x={2} y={pad + 4} className="tick">
          {max.toFixed(3)}
        </text>
        <text x={2} y={h - pad} className="tick">
          {min.toFixed(3)}
        </text>
        <text x={w - pad} y={h - 8} className="tick" textAnchor="end">
          epoch {values.length}
        </text>
        <path d={d} className="line" />
        {values.map((v, i) => (
          <circle key={i} cx={x(i)} cy={y(v)} r={2.5} className="dot" />
        ))}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
