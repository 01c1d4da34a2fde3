// A cost as the panel shows it. Calls to a model Agio has no price for are not counted (their
// costUsd is 0), so a run with such calls has an unknown cost, or beside priced calls only a lower
// bound: "$0" would be a false figure.
import { usd } from '../format.ts';

/** Where the prices are set, said wherever the cost is unknown. */
export const PRICES_SETTING = 'agio.models';

export interface CostFigure {
  /** "$0.021", "$0.12 + unknown" or "cost unknown". */
  readonly text: string;
  /** The tooltip: what the figure covers. */
  readonly title: string;
  /** 'none': every call was priced; 'some': the figure is a lower bound; 'all': nothing was priced. */
  readonly unknown: 'none' | 'some' | 'all';
}

export function costFigure(costUsd: number, unpricedCalls = 0): CostFigure {
  if (unpricedCalls === 0) {
    const text = usd(costUsd);
    return { text, title: text === `$${costUsd}` ? text : `${text} ($${costUsd} exactly)`, unknown: 'none' };
  }
  const calls = `${unpricedCalls} model call${unpricedCalls === 1 ? '' : 's'}`;
  const how = `Set the model's prices in the ${PRICES_SETTING} setting.`;
  if (costUsd === 0) {
    return {
      text: 'cost unknown',
      title: `cost unknown: Agio knows no price for this model (${calls} not counted). ${how}`,
      unknown: 'all',
    };
  }
  return {
    text: `${usd(costUsd)} + unknown`,
    title: `${usd(costUsd)} for the priced calls; ${calls} to a model without a known price are not counted. ${how}`,
    unknown: 'some',
  };
}
