// A user's CDK app: the construct from the installed package, deploying the artifact the package ships.
import { App, Stack } from 'aws-cdk-lib';
import { SentimentApi } from 'sentiment-lambda/infra';

const app = new App({ outdir: process.argv[2] });
const stack = new Stack(app, 'ConsumerStack', { env: { account: '123456789012', region: 'us-east-1' } });
new SentimentApi(stack, 'Sentiment', {
  endpointName: 'consumer-endpoint',
  allowedOrigins: ['https://reviews.example'],
});
app.synth();
