/**
 * Word lists of the name and address rules. Written for this module from general knowledge (common given names
 * and surnames of many languages, honorifics, street types); the company generator's first/last name lists
 * (src/db/seed.ts, not exported there) are copied in, and the app's own product, plan, service and carrier words
 * are read from src/db/reference-data.ts so that they never count as names. None of the lists was taken from a
 * benchmark's data.
 */
import { CARRIERS, PLANS, SERVICES } from "../../db/reference-data.js";

const words = (s: string): string[] => s.trim().split(/\s+/).filter(Boolean);
const lowerSet = (...lists: string[][]): Set<string> => new Set(lists.flat().map((w) => fold(w)));

/** Lower case without diacritics: "Müller" -> "muller", "Ottová" -> "ottova". */
export function fold(word: string): string {
  if (/^[\x00-\x7f]*$/.test(word)) return word.toLowerCase();
  return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[’]/g, "'").toLowerCase();
}

/** src/db/seed.ts FIRST_NAMES / LAST_NAMES (copied: the seed does not export them). */
const SEED_FIRST = words(`Olivia Liam Emma Noah Ava Ethan Sofia Lucas Mia Mateo Amara Kenji Chloe Arjun Isla Felix Zara Hugo
  Leila Oscar Nora Elias Aisha Jonas Ruby Tariq Clara Diego Freya Samuel Yuki Ines Marcus Hana Theo Layla Rafael Elena Kofi
  Maja Victor Alice Omar Greta Ivan Lucia Benjamin Mei Adrian Paula Nikhil Sara Jakob Leah Caleb Fatima Daniel Ingrid Tomas Wen
  Marta Grace`);
const SEED_LAST = words(`Smith Garcia Nguyen Müller Rossi Kim Okafor Johansson Patel Dubois Silva Cohen Tanaka Novak Hughes
  Fischer Moreau Kowalski Reddy Larsen Bianchi Santos Brennan Haddad Schmidt Ito Walsh Jansen Costa Murphy Andersen Mendes Lopez
  Weber Ali Park Bauer Clarke Varga Hansen Chen Ortiz Fontaine Yilmaz Sato Green Byrne Lindgren Ahmed Russo Keller Kaur Morales
  Vogel Baker Horvat Price Wong Adler Quinn Lindqvist Reyes Whitman`);

const FIRST = words(`
  James John Robert Michael William David Richard Joseph Thomas Charles Christopher Matthew Anthony Donald Steven Paul Andrew
  Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry
  Justin Scott Brandon Gregory Alexander Patrick Dennis Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Walter
  Harold Jeremy Keith Roger Gerald Carl Terry Sean Austin Arthur Lawrence Jesse Dylan Bryan Joe Jordan Billy Bruce Albert Willie
  Gabriel Logan Alan Juan Wayne Roy Ralph Randy Eugene Vincent Russell Elijah Louis Bobby Philip Johnny Howard Fred Martin
  Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Kimberly
  Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley
  Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane
  Julie Joyce Victoria Kelly Christina Lauren Joan Evelyn Olivia Judith Megan Cheryl Martha Andrea Frances Hannah Jacqueline
  Gloria Teresa Kathryn Sara Janice Jean Alice Madison Doris Abigail Julia Judy Beverly Denise Marilyn Amber Danielle
  Brittany Diana Natalie Sophia Isabella Charlotte Amelia Harper Ella Avery Scarlett Aria Chloe Camila Penelope Layla Riley
  Zoey Nora Lily Eleanor Hazel Aurora Addison Stella Natalia Leah Lucy Savannah Audrey Brooklyn Bella Claire Skylar Paisley
  Caroline Naomi Elena Sadie Madelyn Kennedy Kinsley Allison Gabriella Anastasia Alexandra Valentina Ruth Esther Miriam Eva
  Tom Tim Ben Sam Dan Nick Chris Matt Mike Dave Steve Jim Bob Rob Tony Jamie Alex Kate Katie Jenny Jess Jessie Emily Ellie
  Oliver Harry Jack Charlie Thomas Oscar Archie Alfie Freddie Leo Theo Finley Isaac Joshua Edward Toby Rory Callum Connor Liam
  Aidan Declan Ciaran Cormac Niamh Siobhan Aoife Saoirse Orla Sinead Seamus Eoin Padraig Fiona Moira Ailsa Morag Hamish Alasdair
  Angus Ewan Euan Fraser Gordon Iain Duncan Malcolm Murray Rhys Dylan Gareth Bryn Owain Cerys Sian Carys Megan Bethan
  Juan Carlos Luis Miguel Javier Alejandro Fernando Jorge Pedro Pablo Manuel Antonio Francisco Rafael Sergio Alberto Andres
  Ricardo Eduardo Enrique Raul Ramon Rodrigo Santiago Sebastian Emilio Ignacio Joaquin Gonzalo Alvaro Mateo Diego Hector
  Lucia Sofia Valeria Camila Martina Paula Daniela Carmen Rosa Pilar Dolores Mercedes Isabel Elena Beatriz Marta Raquel Lorena
  Alba Nuria Rocio Ines Ana Julia Gabriela Mariana Fernanda Adriana Ximena Guadalupe Catalina Florencia Agustina Rocio
  Joao Tiago Goncalo Rui Nuno Vasco Duarte Bruno Andre Paulo Marcelo Rodrigo Thiago Leandro Felipe Gustavo Vinicius Caio
  Beatriz Leonor Matilde Mariana Carolina Francisca Leticia Larissa Juliana Bianca Luana Fernanda Camila Vitoria Isadora
  Giuseppe Giovanni Francesco Antonio Alessandro Andrea Marco Matteo Lorenzo Luca Stefano Roberto Paolo Massimo Fabio Davide
  Simone Federico Riccardo Gabriele Emanuele Salvatore Vincenzo Pietro Tommaso Leonardo Gianluca Nicola Filippo Edoardo
  Giulia Francesca Chiara Sara Martina Alessia Valentina Elisa Federica Silvia Paola Roberta Giorgia Beatrice Ilaria Serena
  Alessandra Claudia Elisabetta Giovanna Antonella Rosaria Lucia   Graziella Ornella Donatella Benedetta
  Jean Pierre Louis Nicolas Philippe Michel Alain Jacques Francois Laurent Olivier Julien Antoine Mathieu Guillaume Thierry
  Christophe Sebastien Yves Etienne Maxime Baptiste Clement Arnaud Benoit Cedric Damien Florian Jerome Remi Xavier Thibault
  Marie Sophie Camille Isabelle Nathalie Sylvie Celine Julie Aurelie Sandrine Valerie Veronique Elodie Amandine Manon Chloe
  Ines Lea Margaux Juliette Emilie Brigitte Monique Genevieve Helene Josephine Mathilde Odette Colette Simone Yvette Agathe
  Hans Klaus Jurgen Wolfgang Helmut Dieter Uwe Rainer Stefan Andreas Thomas Michael Markus Matthias Tobias Florian Sebastian
  Johannes Jan Lukas Leon Finn Paul Maximilian Moritz Niklas Felix Jonas Tim Julian Philipp Alexander Christian Frank Bernd
  Gunter Horst Manfred Heinz Werner Karl Friedrich Ludwig Otto Fritz Ernst Heinrich Hermann Walther Kurt Torsten Steffen Sven
  Ursula Helga Ingrid Gisela Monika Petra Sabine Claudia Susanne Andrea Birgit Karin Heike Anja Katrin Nicole Stefanie Julia
  Lena Laura Lea Anna Hannah Leonie Lina Marie Sophie Johanna Frieda Greta Mila Emilia Charlotte Clara Jana Franziska Ulrike
  Pieter Jan Hendrik Willem Johannes Cornelis Gerrit Dirk Bas Sander Joost Ruben Thijs Daan Sem Lars Bram Koen Maarten Jeroen
  Annelies Anouk Femke Sanne Lotte Fleur Eline Marloes Ilse Mieke Noor Saskia Wilhelmina Geertje  Liesbeth
  Lars Anders Erik Johan Karl Nils Per Olof Gustav Magnus Henrik Fredrik Mikael Jonas Axel Oskar Emil Viktor Hugo Ludvig
  Mats Bjorn Sven Stig Leif Ulf Rolf Jarl Tor Thor Knut Arne Geir Einar Gunnar Harald Halvor Sigurd Trond Odd Ole Morten
  Rasmus Mads Søren Jens Niels Kasper Mikkel Frederik Christian Troels Jesper Anders Bo Kim Kristian Casper Mathias Tobias
  Astrid Ingrid Sigrid Karin Kerstin Birgitta Annika Linnea Elin Ebba Maja Alva Saga Wilma Signe Solveig Liv Sunniva Ragnhild
  Hanne Mette Pernille Camilla Kirsten Lene Louise Sofie Ida Freja Emma Nanna Katrine Line Trine Tove Gitte Vibeke Dorte
  Jon Gudmundur Sigurdur Olafur Einar Kristjan Bjarni Halldor Stefan Gunnar Helgi Magnus Arni  Thorsteinn
  Gudrun Sigridur Kristin Helga Anna Margret Ingibjorg Johanna Katrin Ragnheidur Asta Thora
  Matti Mikko Juha Jari Timo Antti Kari Pekka Heikki Markku Jukka Ville Teemu Jussi Tuomas Sami Janne Petri Esa Veikko Eino
  Aino Aili Helmi Kaija Liisa Marjatta Pirjo Tuula Riitta Satu Sari Tiina Minna Johanna Anu Hanna Heidi Noora Outi Paivi Eija
  Jan Petr Pavel Tomas Martin Jiri Josef Vaclav Karel Lukas Jakub Ondrej Vojtech Frantisek Milan Miroslav Zdenek Radek Michal
  Jana Eva Hana Marie Lenka Katerina Lucie Petra Veronika Tereza Barbora Martina Kristyna Zuzana Alena Marketa Sarka Jitka
  Piotr Krzysztof Andrzej Tomasz Pawel Marcin Michal Grzegorz Jakub Adam Lukasz Mateusz Bartosz Wojciech Kamil 
  Przemyslaw Dariusz Mariusz Jerzy Zbigniew Tadeusz Janusz Stanislaw Wladyslaw Kazimierz Bogdan Ryszard Slawomir
  Anna Katarzyna Malgorzata Agnieszka Barbara Ewa Krystyna Magdalena Joanna Aleksandra Zofia Monika Natalia Karolina
  Dorota Beata Jolanta Iwona Halina Urszula Wieslawa Danuta Bozena Grazyna Marianna Kamila Justyna Izabela Wiktoria
  Ivan Dmitri Dmitry Sergei Sergey Alexei Alexey Andrei Andrey Mikhail Nikolai Vladimir Yuri Boris Pavel Oleg Igor Viktor
  Anatoly Konstantin Maxim Artem Roman Ruslan Timur Denis Yevgeny Evgeny Gennady Leonid Vadim Vasily Fyodor Grigory
  Olga Tatiana Tatyana Natalia Natalya Elena Yelena Irina Svetlana Anastasia Ekaterina Yekaterina Marina Ludmila Lyudmila
  Galina Nadezhda Valentina Oksana Yulia Alina Daria Darya Polina Ksenia Vera Nina Larisa Zoya Sofya Milena Raisa Inna
  Bogdan Taras Oleksandr Mykola Vasyl Petro Andriy Olena Oksana Halyna Iryna Mariya Nataliya
  Laszlo Istvan Zoltan Gabor Tamas Attila Ferenc Jozsef Sandor Peter Balazs Csaba Gyorgy Janos Miklos Imre Bela Lajos Tibor
  Andras Zsolt Krisztian Gergely  Laszlo Aniko Zsuzsanna Erzsebet Katalin Ildiko Judit Agnes Eszter Krisztina Reka
  Marta Timea Edit Gyongyi Noemi Orsolya Zsofia Boglarka Piroska Julianna Ilona Erika Vilma Magdolna
  Marko Ivan Luka Ante Josip Matej Filip Nikola Stjepan Tomislav Zoran Dragan Goran Milan Bojan Nenad Dusan Aleksandar
  Jozef Janez Andrej Ales Bostjan Matjaz Primoz Rok Ziga Jure Ana Maja Ivana Petra Mojca Spela Tjasa Nina Mateja Vesna Jelena
  Milica Dragana Snezana Biljana Jasmina Mirjana Ljiljana Gordana Branka Zeljka Sanja Tamara Mia Lana Iva Ema Lucija
  Georgios Giorgos Dimitris Dimitrios Konstantinos Nikolaos Ioannis Panagiotis Christos Vasileios Athanasios Spyros Kostas
  Eleni Maria Katerina Georgia Dimitra Sofia Anastasia Vasiliki Ioanna Despina Paraskevi Angeliki Chrysa Zoe Fotini
  Mehmet Mustafa Ahmet Ali Huseyin Hasan Ibrahim Ismail Osman Yusuf Murat Emre Burak Can Cem Kemal Serkan Volkan Orhan
  Ayse Fatma Emine Hatice Zeynep Elif Merve Esra Ozlem Seda Derya Gul Sibel Ebru Aylin Deniz Selin Ece Melis Busra
  Mohammed Muhammad Mohamed Ahmed Ahmad Mahmoud Mustafa Khalid Omar Abdullah Hassan Hussein Ibrahim Youssef Yusuf Karim
  Tariq Samir Nabil Walid Rami Ziad Faisal Hamza Bilal Amir Jamal Rashid Said Salim Sami Tarek Yasser Nasser Malik Adel
  Fatima Aisha Amina Khadija Mariam Maryam Zainab Layla Leila Nour Noor Salma Yasmin Yasmine Hana Rania Dina Lina Sara
  Reza Ali Hossein Mehdi Saeed Hamid Farhad Dariush Kaveh Babak Arash Shirin Parisa Nasrin Roya Mina Azadeh Leila Niloufar
  Rahul Amit Raj Ravi Sanjay Vijay Anil Sunil Rajesh Suresh Ramesh Manoj Deepak Ashok Vikram Arjun Rohan Aditya Karan Nikhil
  Priya Anjali Pooja Neha Sunita Kavita Anita Rekha Lakshmi Deepa Divya Meera Shreya Aishwarya Ananya Kiran Nisha Asha
  Wei Jun Ming Hao Lei Jie Yang Tao Bo Chen Li Hui Xin Yan Ying Mei Lan Xiu Fang Ling Jing Qing
  Hiroshi Takashi Kenji Kenta Takumi Haruto Yuto Sota Riku Daiki Shota Kazuki Naoki Yusuke Kazuo Akira Satoshi 
  Yuki Yuko Keiko Akiko Naoko Sachiko Yumiko Hanako Haruka Yui Aoi Sakura Misaki Asuka Ayumi Emi Rina   Kaori
  Minjun Seojun Jihoon Hyun Jisoo Minji Seoyeon Jiwoo Soyeon Eunji Hyejin Sungmin Younghee
  Kwame Kofi Kwaku Yaw Kojo Ama Akua Abena Adwoa Chidi Chinedu Emeka Obinna Ngozi Chiamaka Adaeze Oluwaseun Tunde Femi Bola
  Sipho Thabo Themba Lerato Thandiwe Nomvula Zanele Amani Baraka Juma Wanjiru Wambui Njeri Kamau Otieno
  Aslan Ramzan Magomed Shamil Madina Tristan Rebeca Quinn Brad Selma Ken
`);

const LAST = words(`
  Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris
  Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Adams Nelson Baker Hall Campbell Mitchell Carter Roberts
  Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Peterson Cooper Reed Bailey Bell
  Kelly Howard Cox Ward Richardson Watson Brooks Wood James Bennett Gray Hughes Price Sanders Myers Long Ross Foster Powell
  Jenkins Perry Russell Sullivan Butler Barnes Fisher Henderson Coleman Simmons Patterson Jordan Reynolds Hamilton Graham
  Wallace Cole West Stone Hayes Gibson Ellis Stevens Murray Ford Marshall Owens McDonald Harrison Ruiz Kennedy Wells
  Alvarez Woods Mendoza Castillo Olson Webb Washington Tucker Freeman Burns Henry Vasquez Snyder Simpson Crawford Jimenez
  Porter Mason Shaw Gordon Wagner Hunter Romero Hicks Dixon Hunt Palmer Robertson Black Holmes Rice Grant Knight Ferguson
  Spencer Pierce Dunn Lawrence Fox Hart Burke Weaver Lane Wheeler Fletcher Dennis   Brennan Doyle Gallagher
  O'Brien O'Connor O'Neill O'Sullivan Kelly Ryan Byrne Walsh McCarthy Quinn Nolan Boyle Kavanagh Fitzgerald Lynch Dolan
  Campbell Stewart MacDonald MacLeod Fraser Robertson Mackenzie Mackay Sinclair Buchanan Forbes Ferguson Munro Ross Allan
  Jones Davies Evans Thomas Roberts Lewis Morgan Griffiths Owen Price Powell Pugh Rees Vaughan
  Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz Morales Ortiz
  Gutierrez Chavez Ramos Ruiz Alvarez Castillo Jimenez Moreno Romero Herrera Medina Aguilar Vargas Castro Guerrero Nunez
  Fernandez Gonzales Navarro Dominguez Vazquez Molina Serrano Blanco Suarez Delgado Ortega Rubio Marin Sanz Iglesias
  Cortes Garrido Santos Lozano Cano Prieto Mendez Calvo Gallego Vidal Leon Pascual Herrero Montero Marquez Fuentes Cabrera
  Silva Santos Oliveira Souza Sousa Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins Carvalho Almeida
  Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes Marques Machado Mendes Freitas Cardoso
  Teixeira Correia Pinto Azevedo Cunha Monteiro Campos Araujo Reis Tavares Magalhaes Coelho Pires
  Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti DeLuca Mancini Costa Giordano
  Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli
  Vitale Lombardo Serra Coppola DeSantis Marchetti Parisi Villa Conte Ferri Fabbri Bellini Basile Pellegrini Palumbo Sanna
  Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia David Bertrand
  Roux Vincent Fournier Morel Girard Andre Lefevre Mercier Dupont Lambert Bonnet Francois Martinez Legrand Garnier Faure
  Rousseau Blanc Guerin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clement Gauthier Dumont Lopez Fontaine Chevalier
  Robin Masson Sanchez Gerard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noel Meyer Lucas Meunier Brun
  Muller Mueller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schafer Koch Bauer Richter Klein Wolf
  Schroder Neumann Schwarz Zimmermann Braun Kruger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann
  Schmid Schulze Maier Kohler Herrmann Konig Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Moller Weiss Jung Hahn
  Schubert Vogel Friedrich Keller Gunther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon
  Ludwig Bohm Winter Kraus Martin Schumacher Kramer Vogt Stein Jager Otto Sommer Gross Seidel Heinrich Brandt Haas Schreiber
  DeJong Jansen DeVries VandenBerg VanDijk Bakker Janssen Visser Smit Meijer DeBoer Mulder DeGroot Bos Vos Peters Hendriks
  VanLeeuwen Dekker Brouwer DeWit Dijkstra Smits DeGraaf VanderMeer Kok Jacobs Vermeulen Willems Maes Claes Goossens Wouters
  Johansson Andersson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson Jonsson Jansson
  Hansson Bengtsson Lindberg Lindstrom Lindqvist Lindgren Berg Bergstrom Lundberg Lundgren Lund Sandberg Forsberg Sjoberg
  Hansen Johansen Olsen Larsen Andersen Pedersen Nielsen Kristiansen Jensen Karlsen Johnsen Pettersen Eriksen Berg Haugen
  Hagen Bakken Solberg Moen Strand Dahl Holm Lie Halvorsen Jorgensen Rasmussen Christensen Poulsen Madsen Sorensen
  Korhonen Virtanen Makinen Nieminen Makela Hamalainen Laine Heikkinen Koskinen Jarvinen Lehtonen Lehtinen Saarinen
  Salminen Heinonen Niemi Heikkila Kinnunen Salonen Turunen Salo Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila
  Novak Svoboda Novotny Dvorak Cerny Prochazka Kucera Vesely Horak Nemec Marek Pospisil Pokorny Hajek Kral Jelinek Ruzicka
  Benes Fiala Sedlacek Dolezal Zeman Kolar Navratil Cermak Vanek Urban Blaha Kriz Kovac Kovacs Horvath Toth Szabo Nagy
  Kovacs Varga Kiss Molnar Nemeth Farkas Balogh Papp Takacs Juhasz Lakatos Meszaros Olah Simon Racz Fekete Szalai Hajdu
  Nowak Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski Wozniak Dabrowski Kozlowski Jankowski
  Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawlowski Michalski Nowicki Adamczyk Dudek Zajac Wieczorek
  Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov Volkov Alekseev Lebedev Semenov
  Egorov Pavlov Kozlov Stepanov Nikolaev Orlov Andreev Makarov Nikitin Zakharov Zaitsev Soloviev Borisov Yakovlev Grigoriev
  Romanov Vorobiev Sergeev Kuzmin Frolov Alexandrov Dmitriev Korolev Gusev Kiselev Ilyin Maksimov Polyakov Sorokin Vinogradov
  Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Oliynyk Melnyk Lysenko Marchenko Rudenko Savchenko Petrenko
  Horvat Kovacevic Babic Maric Juric Novak Kovacic Knezevic Vukovic Markovic Petrovic Jovanovic Nikolic Ilic Djordjevic
  Krajnc Zupancic Potocnik Mlakar Kos Vidmar Golob Turk Kralj Bozic Pavlic Hribar
  Papadopoulos Papadakis Georgiou Nikolaidis Pappas Karagiannis Vlachos Angelopoulos Dimitriou Konstantinou Oikonomou
  Yilmaz Kaya Demir Sahin Celik Yildiz Yildirim Ozturk Aydin Ozdemir Arslan Dogan Kilic Aslan Cetin Kara Koc Kurt Ozkan
  Hassan Hussein Ibrahim Mahmoud Abdullah Rahman Khan Haddad Khoury Nasser Saleh Mansour Aziz Karimi Hosseini Rahimi
  Sharma Verma Gupta Singh Kumar Patel Shah Mehta Joshi Desai Iyer Nair Menon Pillai Rao Reddy Naidu Chatterjee Banerjee
  Mukherjee Das Bose Ghosh Sen Kapoor Malhotra Chopra Bhatia Agarwal
  Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Zheng Liang Xie Tang Han Cao Deng Feng
  Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki Yamaguchi Matsumoto
  Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto Yamashita Ishikawa Nakajima Maeda Fujita Ogawa Goto Okada
  Hasegawa Murakami Kondo Ishii Saito Sakamoto Endo Aoki Fujii Nishimura Fukuda Ota Miura Okamoto Matsuda Nakagawa 
  Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong
  Nguyen Tran Le Pham Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly
  Okafor Okonkwo Adeyemi Mensah Boateng Owusu Asante Osei Appiah Nkosi Dlamini Ndlovu Mokoena Kariuki Otieno Mwangi Kamau
`);

export const FIRST_NAMES: ReadonlySet<string> = lowerSet(FIRST, SEED_FIRST);
export const LAST_NAMES: ReadonlySet<string> = lowerSet(LAST, SEED_LAST);

/** Given names that are also common words or places: alone they need a cue ("Mr.", "my name is", a surname after). */
export const AMBIGUOUS_FIRST: ReadonlySet<string> = lowerSet(
  words(`Will May Mark Bill Grace Hope Faith Joy June April August Rose Lily Jack Victoria Paris Georgia Virginia Chase
  Hunter Carter Summer Autumn Dawn Eve Sky River Ray Art Guy Max Sue Pat Rich Page Miles Frank Earl Penny Ruby Amber Crystal
  Jade Pearl Iris Ivy Holly Sandy Angel Christian Harmony King Sunny Lane Dean Don Rod Van Gene Kay Lee Long Young Park
  Price Green Brown White Black Gray Grey Hall Wood Stone Hill Field Lake Major Marshall Mason Baker Cook Jordan Austin
  Madison Florence Sydney Chelsea Brooklyn Savannah Phoenix Dakota Carolina Lucky Bo Can Cem Gul Tor Thor Odd Per Ole Kim Li
  Ma He Han Oh Song Do Ho Le Lin Mei Lan Line Signe Saga Liv Tove Said Mercedes Dolores Rosa Alma Belle Milan Deniz Ece Mila
  Bruno Otto Leon Roman Marina Vera Ernst Baker Jan`),
);

/** Honorifics and titles that introduce a name. */
export const HONORIFICS: ReadonlySet<string> = lowerSet(
  words(`mr mrs ms miss mx dr prof sir dame lady lord madam madame mme mlle herr frau sr sra srta sig signora signor rev
  capt col gen lt sgt hon judge officer doctor professor`),
);

/** Name particles that may sit inside a name ("Ludwig van Beethoven", "Maria da Silva"). */
export const NAME_PARTICLES: ReadonlySet<string> = lowerSet(words(`van von der den de del della di da das dos du la le ten ter bin ibn al el y`));

/** Company-form abbreviations, matched in capitals only ("Equinor ASA", "Nokia Oy"). */
export const ORG_FORMS: ReadonlySet<string> = new Set(words(`AG SA BV NV OY Oy AB ASA AS SE SPA SpA SRL Srl KG GmbH`));

/** Words after which a capitalized run is an organisation, not a person. */
export const ORG_WORDS: ReadonlySet<string> = lowerSet(
  words(`inc incorporated llc llp ltd limited corp corporation co company companies group holdings partners associates foundation
  institute university college school academy bank trust technologies technology tech systems solutions software services
  service analytics labs lab laboratories health healthcare insurance capital ventures industries enterprises global
  international consulting media networks network logistics retail foods studio studios markets pharmacy hardware bakery
  goods apparel fitness books electronics outfitters coffee center centre club hotel restaurant cafe church hospital clinic
  agency council department ministry committee association society union federation bureau office team api portal gmbh ag
  sarl plc pty supply supplies motors airlines energy resources realty properties communications
  pharmaceuticals partners brothers bros sons`),
);

/** Capitalized words that are not names (sentence starters, calendar, app and business vocabulary). */
export const NOT_NAMES: ReadonlySet<string> = lowerSet(
  words(`the a an this that these those it its i we you he she they my your our their his her me us them if when where what
  why how who whom whose which please thanks thank hello hi dear yes no not and or but so also then now today tomorrow
  yesterday maybe could would should can will shall might must is are was were be been being do does did done have has had
  let lets get got set new old all any some every each none one two three four five six seven eight nine ten first second
  third last next previous other another same such there here after before during since until while because although though
  about above below under over into onto from with without within for to of in on at by as per via re fw fwd cc bcc subject
  note notes ok okay sure sorry hey welcome regards best kind sincerely cheers team customer customers client user users
  admin support billing payment payments invoice invoices order orders ticket tickets incident incidents account accounts
  plan plans status summary report reports total amount balance credit credits refund refunds charge charges card cards
  bank transfer paypal shipping shipment shipments tracking carrier carriers delivery address addresses email phone name
  names city state country street road avenue monday tuesday wednesday thursday friday saturday sunday january february
  march april june july august september october november december feb apr jun jul aug sep sept oct nov dec
  morning afternoon evening night week month year day hour minute am pm utc gmt est pst cet pro starter business enterprise
  premium free basic standard plus gold silver platinum api web portal worker pipeline edge service services db cdn auth
  search notifications inventory checkout analytics settings security dashboard console server database cluster node
  nodes region error errors warning info debug critical alert alerts page pages sev severity priority high low medium urgent
  open closed pending resolved escalated active churned suspended processing shipped delivered returned cancelled canceled
  approved rejected failed succeeded refunded paid overdue draft true false null none unknown north south east west central
  united kingdom states america american europe european english french german spanish italian dutch swedish norwegian
  danish finnish polish russian chinese japanese korean indian arabic african asian canadian australian mexican brazilian
  god lord christ jesus allah internet website online offline app apps mobile desktop hub gateway sensor scanner printer
  reader tablet drawer scale kit cable adapter pack stand case roll paper tags label keel fedex ups dhl usps visa mastercard
  amex discover paypal stripe google microsoft apple amazon github slack zoom linkedin facebook twitter youtube iphone
  android windows linux mac macos ios chrome firefox safari excel word powerpoint outlook teams office sharepoint
  dr mr mrs ms title vii act article chapter section part figure table appendix version release update patch hotfix
  bot why what's it's i'm i've i'll i'd you're we're they're don't doesn't didn't can't won't isn't aren't wasn't
  country club station university
  street avenue road lane drive boulevard court place square receiving reception warehouse accounts payable purchasing
  procurement operations finance sales marketing legal facilities dock desk front`),
);

/** The app's own product, plan, service and carrier words: never names. */
export const APP_TERMS: ReadonlySet<string> = lowerSet(
  [...PLANS.map((p) => p.name), ...SERVICES.map((s) => s.name), ...CARRIERS.map((c) => c.name)].flatMap((n) => words(n)),
  words(`Northwind Bluepeak Cedar Harbor Ironbridge Maple Summit Lumen Brightline Copper Redwood Silverline Orchard Granite
  Atlas Beacon Driftwood Evergreen Foxglove Juniper Kestrel Lakeside Meridian Oakridge Pinecrest Quarry Riverbend Sparrow
  Tidewater Willow Aspen Birch Coastal Dune Falcon Hearth Indigo Keystone Larkspur Nimbus Fjord`),
);

/**
 * Surname endings that mark a family name on their own (Slavic, Nordic patronymics, Finnish, Greek, Romanian,
 * Georgian); `WEAK_SURNAME_ENDINGS` only count when the token follows a given-name-like token.
 */
export const STRONG_SURNAME_ENDINGS = [
  "ová", "ova", "ov", "ev", "eva", "ski", "ska", "cki", "cka", "dzki", "wicz", "vich", "vych", "vić", "vič", "ić", "ič",
  "enko", "shvili", "dze", "sson", "dóttir", "dottir", "poulos", "opoulou", "akis", "idis", "escu", "nen", "ainen",
  "yev", "yeva", "iev", "ieva", "ovna", "evna", "ovic", "ovich", "evich", "sdóttir", "ssen",
] as const;

export const WEAK_SURNAME_ENDINGS = [
  "son", "sen", "berg", "mann", "man", "stein", "ez", "es", "ini", "elli", "etti", "ucci", "ian", "yan", "oglu", "zadeh",
  "kov", "kin", "sky", "ski", "lä", "la", "ssen", "strom", "ström", "qvist", "kvist", "gren", "lund", "holm", "dahl",
  "feld", "baum", "hoff", "hof", "meier", "mayer", "ter", "ing", "ink", "ek", "ák", "ik", "ić", "as", "is", "os", "ou",
  "ard", "eau", "aux", "ault", "ier", "ot", "et", "ey", "ly", "ton", "ford", "ham", "wood", "field", "well", "worth",
] as const;

/** US states, Canadian provinces and Australian states (postal codes). */
export const REGION_CODES: ReadonlySet<string> = new Set(
  words(`AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR
  PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP AA AE AP ON QC BC AB MB SK NS NB NL PE YT NT NU NSW VIC QLD WA SA
  TAS ACT NT`),
);

/** Country names and ISO codes that end an address. */
export const COUNTRIES: ReadonlySet<string> = lowerSet(
  words(`US USA UK GB CA DE FR NL AU IE ES PT IT CH AT BE DK SE NO FI IS PL CZ SK HU SI HR GR CY TR JP CN KR IN BR MX AR NZ ZA
  Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan Bahamas Bahrain Bangladesh
  Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia Botswana Brazil Brunei Bulgaria Burundi Cambodia Cameroon
  Canada Chad Chile China Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Dominica Ecuador Egypt
  Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana Greece Greenland
  Grenada Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica
  Japan Jordan Kazakhstan Kenya Kiribati Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein
  Lithuania Luxembourg Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Micronesia Moldova Monaco
  Mongolia Montenegro Morocco Mozambique Myanmar Namibia Nauru Nepal Netherlands Nicaragua Niger Nigeria Norway Oman
  Pakistan Palau Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Samoa Senegal Serbia
  Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria Taiwan Tajikistan Tanzania
  Thailand Togo Tonga Tunisia Turkey Turkmenistan Tuvalu Uganda Ukraine Uruguay Uzbekistan Vanuatu Venezuela Vietnam
  Yemen Zambia Zimbabwe`),
);
/** Multi-word country names (matched as phrases). */
export const COUNTRY_PHRASES = [
  "United States", "United States of America", "United Kingdom", "South Africa", "New Zealand", "Czech Republic",
  "Cyprus (Greek)", "Cyprus (Turkish)", "Dominican Republic", "Costa Rica", "El Salvador", "Puerto Rico", "Saudi Arabia",
  "United Arab Emirates", "Sri Lanka", "South Korea", "North Macedonia", "Bosnia and Herzegovina", "Ivory Coast",
  "Hong Kong", "Faroe Islands", "Isle of Man", "Papua New Guinea", "Trinidad and Tobago", "Sierra Leone", "San Marino",
];

/** English street types (USPS suffixes and common British ones), full and abbreviated. */
export const STREET_SUFFIXES: ReadonlySet<string> = lowerSet(
  words(`street st str avenue ave av road rd boulevard blvd lane ln drive dr court ct place pl square sq terrace ter terr
  way parkway pkwy highway hwy freeway expressway circle cir crescent cres close trail trl alley aly row walk loop mall path
  pike plaza plz point pt ridge rdg route rte run crossing xing crossroad crossroads extension ext extensions flat flats
  island islands isle park parks pass passage gateway gardens gdns garden grove grv green heights hts hill hills hollow
  junction jct key knoll lake lakes landing manor meadow meadows mews mill mills mission motorway orchard oval overpass
  pines plains port ports prairie ranch rapids rest shoal shoals shore shores spring springs spur station summit throughway
  trace track trafficway tunnel turnpike tpke underpass union unions valley via viaduct view views villa village ville
  vista wall wharf wells fork forks forge forges ford fords fort coves cove cape causeway camp burg burgs bridge brook
  brooks branch bypass bluff bluffs bend beach bayou arcade annex anex esplanade embankment parade broadway quay`),
);

/** Street types written before the name in many languages ("Rue de la Paix", "ul. Miła", "Avenida Paulista"). */
export const STREET_PREFIXES: ReadonlySet<string> = lowerSet(
  words(`rue avenue av avenida avda av. boulevard bd bld allée allee chemin impasse place quai route via viale piazza piazzale
  corso largo vicolo calle carrer carretera paseo plaza camino ronda travesia rua praça praca travessa estrada largo alameda
  strada ulica ul ulice trg odos leoforos leof platia cesta ulitsa prospekt pereulok naberezhnaya bulevardul strada
  calea aleea str c/ kaya sokak cadde caddesi jalan`),
);

/** Endings of continental street names written as one word ("Hauptstraße", "Koskikatu", "Søndergade"). */
export const STREET_WORD_ENDINGS = [
  "straße", "strasse", "str.", "gasse", "weg", "allee", "platz", "ring", "damm", "ufer", "gracht", "straat", "laan",
  "plein", "dreef", "kade", "singel", "steeg", "vej", "vejen", "gade", "gaden", "torv", "vägen", "väg", "gatan", "gata",
  "veien", "vei", "veg", "vegen", "gate", "gata", "katu", "tie", "kuja", "polku", "kaari", "rinne", "tori", "utca", "útja",
  "körút", "tér", "ulica", "cesta", "iela", "gatvė", "tänav", "tee", "vegur", "braut", "gata", "stræde", "stien", "sti",
  "wiese", "berg", "hof", "markt", "chaussee", "pad", "hove", "hof", "bulevar", "setra",
] as const;

/** Unit designators ("Apt. 4", "Suite 200"). */
export const UNIT_WORDS = "apt\\.?|apartment|suite|ste\\.?|unit|fl\\.?|floor|room|rm\\.?|bldg\\.?|building|box|#";
