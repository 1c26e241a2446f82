// Chart.js with only what the ward profile draws registered (a bar chart with category and
// linear axes and tooltips), so the bundle carries no other chart types. Import Chart from here.

import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export { Chart };
